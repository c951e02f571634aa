/**
 * A bad flag value: docker exits 125 for these (like an unknown flag), not 1; exit-codes.ts
 * prints it as `berth: MESSAGE` with a pointer to the command's --help.
 */
import { UsageError } from '../exit-codes.js';

export function usageError(message: string): UsageError {
  return new UsageError(message);
}
