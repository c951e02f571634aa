/** `berth` with no command: the dashboard on a terminal; a clear message otherwise. */
import type { CliContext } from './context.js';

export async function openDashboard(ctx: CliContext): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write("berth: the dashboard needs a terminal (stdin and stdout must be a TTY); try 'berth --help'\n");
    return 1;
  }
  const engine = await ctx.engine();
  const { runDashboard } = await import('../screens/run-dashboard.js');
  await runDashboard(engine, { engineLabel: 'embedded' });
  return 0;
}
