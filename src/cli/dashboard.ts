/**
 * `berth` with no command: the dashboard on a terminal; a clear message otherwise. It opens on
 * every configured host at once (a HostPool: the embedded engine, the contexts, each -H), on
 * the one named (or the all-hosts view when several are named), and switches with H / A.
 */
import module from 'node:module';
import type { CliContext } from './context.js';
import { loadHostList, openEmbedded, openHostPool, requireRoot } from '../engine/index.js';
import { holdLogsWhile } from './log-output.js';

export async function openDashboard(ctx: CliContext): Promise<number> {
  // A bad -H or a mistyped context is refused first, terminal or not.
  const { dashboardHosts } = await loadHostList();
  const list = dashboardHosts(ctx.globals);
  // Opening on the embedded engine as another user than root: say so now, in one line. With
  // other hosts to show, the embedded one is only listed as unavailable, with the same words.
  if (list.specs.find((s) => s.name === list.initial)?.host === '') requireRoot();
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
  // Load the UI while the hosts open: both are on the way to the first frame.
  const { preloadDashboard, runDashboard } = await import('../screens/run-dashboard.js');
  preloadDashboard().catch(() => undefined); // a failure surfaces from runDashboard, which awaits it again
  const g = ctx.globals;
  const [pool, { ALL_HOSTS }] = await Promise.all([
    openHostPool(list.specs, { embedded: () => openEmbedded({ root: g.root, runRoot: g.runRoot }) }),
    import('../screens/hosts.js'),
  ]);
  pool.start();
  try {
    // -D's records would scribble over the screen: they wait until it is closed
    await holdLogsWhile(() => runDashboard(pool, { initialHost: list.initial ?? ALL_HOSTS }));
  } finally {
    await pool.close();
  }
  // A signal's 128 + n (set by runDashboard on SIGTERM/SIGHUP): the shell, or whatever ran us,
  // must see that the dashboard was ended, not quit.
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
