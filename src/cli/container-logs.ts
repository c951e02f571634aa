/** `berth logs [-f] [--tail N] [-t] [--since] [--until] CONTAINER`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { tailOption } from './flags/typed.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container>')
    .option('-f, --follow', 'Follow log output')
    .addOption(tailOption('-n, --tail <string>', 'Number of lines to show from the end of the logs'))
    .option('-t, --timestamps', 'Show timestamps')
    .option('--since <string>', 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)')
    .option('--until <string>', 'Show logs before a timestamp or relative')
    .option('--details', 'Show extra details provided to logs')
    .action(async (name: string, o: { follow?: boolean; tail: string; timestamps?: boolean; since?: string; until?: string; details?: boolean }) => {
      const engine = await ctx.engine();
      const ac = new AbortController();
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let pendingOut = '';
      let pendingErr = '';
      try {
        for await (const l of engine.containers.logs(
          name,
          {
            follow: o.follow,
            ...(o.tail !== 'all' ? { tail: Number(o.tail) } : {}),
            timestamps: o.timestamps,
            since: o.since,
            until: o.until,
            details: o.details,
          },
          ac.signal,
        )) {
          const text = `${o.timestamps ? `${l.time} ` : ''}${l.text}${l.complete ? '\n' : ''}`;
          // stdout and stderr go where they came from, as docker's logs does
          if (l.stream === 'stderr') pendingErr += text;
          else pendingOut += text;
          if (pendingOut.length > 65536 || o.follow) {
            process.stdout.write(pendingOut);
            pendingOut = '';
          }
          if (pendingErr.length > 65536 || o.follow) {
            process.stderr.write(pendingErr);
            pendingErr = '';
          }
        }
      } finally {
        process.stdout.write(pendingOut);
        process.stderr.write(pendingErr);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
