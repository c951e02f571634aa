/** Runs an operation on each named container, printing the name on success and docker's error
 *  line per failure (exit 1 if any failed), like `docker stop a b c`. */
import type { CliContext } from './context.js';

export interface EachOptions {
  /** Print each name after its success (default true). */
  echo?: boolean;
  /** Up to this many at once, as docker's CLI runs stop/kill/rm/restart side by side (`rm -f`
   *  of 50 containers is mostly spawns and waits, which overlap well). Results are printed in the
   *  order the names were given. Default 1. */
  parallel?: number;
}

export async function forEach(ctx: CliContext, names: string[], op: (name: string) => Promise<void>, opts: EachOptions = {}): Promise<void> {
  const { echo = true, parallel = 1 } = opts;
  // One settled outcome per name (undefined = done), filled in by a few workers.
  const done = names.map(() => {
    let resolve!: (e: Error | undefined) => void;
    const promise = new Promise<Error | undefined>((r) => (resolve = r));
    return { promise, resolve };
  });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      await op(names[i]!).then(
        () => done[i]!.resolve(undefined),
        (e: unknown) => done[i]!.resolve(e as Error),
      );
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(parallel, names.length)) }, worker);
  let failed = false;
  for (let i = 0; i < names.length; i++) {
    const e = await done[i]!.promise;
    if (e) {
      failed = true;
      process.stderr.write(`Error response from daemon: ${e.message}\n`);
    } else if (echo) ctx.out(names[i]!);
  }
  await Promise.all(workers);
  if (failed) process.exitCode = 1;
}

/** How many containers stop/kill/rm/restart/pause/unpause work on at once. */
export const PARALLEL_OPS = 8;
