/**
 * The prune commands' `--filter`: docker's FilterOpt (`name=value`, the name trimmed and lower
 * case, the value trimmed; no `=` is a usage error, exit 125), given to the engine's prune as
 * docker's filter map. What the engine refuses (an unknown key, a bad `until`) is the daemon's
 * answer in docker's words: `Error response from daemon: …`, exit 1, nothing removed.
 */
import { filterOption } from './flags/typed.js';
import { isEngineError } from '../engine/index.js';
import type { PruneFilters } from '../engine/api.js';
import { ExitStatus } from './exit-codes.js';

export const pruneFilterOption = (example: string) => filterOption('--filter <filter>', `Provide filter values (e.g. '${example}')`);

export function pruneFiltersOf(list: string[] = []): PruneFilters {
  const out: PruneFilters = {};
  for (const f of list) {
    const eq = f.indexOf('=');
    const name = f.slice(0, eq).trim().toLowerCase();
    const value = f.slice(eq + 1).trim();
    const vals = (out[name] ??= []);
    if (!vals.includes(value)) vals.push(value); // a set, as docker's filters.Args
  }
  return out;
}

/** Runs the prune; a refused filter ends the command as docker's CLI does. */
export async function withDaemonWords<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isEngineError(e, 'invalid')) throw e;
    process.stderr.write(`Error response from daemon: ${e.message}\n`);
    throw new ExitStatus(1);
  }
}
