/**
 * A bad flag value: docker exits 125 for these (like an unknown flag), not 1. A CommanderError
 * is what main maps to that exit code with the message on one line.
 */
import { CommanderError } from 'commander';

export function usageError(message: string): CommanderError {
  return new CommanderError(125, 'berth.invalidArgument', message);
}
