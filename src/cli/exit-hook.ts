/**
 * conmon's exit command (argv: ROOT RUNROOT ID RUN_TOKEN): releases an exited container. It
 * runs after every container exit, so it is its own small entry point: when the container is
 * already gone (a foreground `run --rm` cleaned up itself) or has been started again since, it
 * returns after two file reads instead of loading the engine (~100 ms of CPU saved per exit).
 * `berth container cleanup ID` does the same by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const [root, runRoot, id, token] = process.argv.slice(2);
  if (!root || !runRoot || !id || !token) throw new Error('usage: exit-hook ROOT RUNROOT ID RUN_TOKEN');
  const dir = join(root, 'containers', id);
  if (!existsSync(dir)) return;
  let current = '';
  try {
    current = readFileSync(join(dir, 'run-token'), 'utf8').trim();
  } catch {
    return; // being removed
  }
  if (current !== token) return; // a later run owns the container now
  // The user's stop (stop, kill, rm -f) has released this run already, and no restart policy
  // applies after a user's stop: nothing is owed, so the engine is not loaded (~100 ms of CPU
  // beside the stop, while the machine is busy with what the user does next: compose down).
  if (readOr(join(dir, 'released-run')) === token && existsSync(join(dir, 'stopped-by-user'))) return;
  const { openEmbedded } = await import('../engine/index.js');
  const engine = await openEmbedded({ root, runRoot });
  try {
    await engine.embedded!.containerExited(id, token);
  } finally {
    await engine.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`berth exit hook: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
