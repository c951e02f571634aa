/** `berth` with no command: the dashboard on a terminal; a clear message otherwise. */
import module from 'node:module';
import type { CliContext } from './context.js';

export async function openDashboard(ctx: CliContext): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write("berth: the dashboard needs a terminal (stdin and stdout must be a TTY); try 'berth --help'\n");
    return 1;
  }
  // Ink, React and the screens are ~200 modules; V8's on-disk code cache (Node >= 22.1) saves
  // ~0.1 s of CPU of compiling them on every start after the first.
  try {
    (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch {
    // an unwritable temp dir only costs the saving
  }
  // Load the UI while the engine opens: both are on the way to the first frame.
  const { preloadDashboard, runDashboard } = await import('../screens/run-dashboard.js');
  preloadDashboard().catch(() => undefined); // a failure surfaces from runDashboard, which awaits it again
  const engine = await ctx.engine();
  await runDashboard(engine, { engineLabel: ctx.engineLabel });
  // A signal's 128 + n (set by runDashboard on SIGTERM/SIGHUP): the shell, or whatever ran us,
  // must see that the dashboard was ended, not quit.
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
