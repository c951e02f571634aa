/** `berth exec [-it] [-d] [-e] [-w] [-u] CONTAINER COMMAND [ARG...]`: exits with the command's code. */
import type { Command } from 'commander';
import { collect, type CliContext } from './context.js';
import { ExitStatus } from './exit-codes.js';
import { checkTty, terminalIO } from './stdio.js';
import { envFlag } from './flags/run-parsers.js';

export function define(cmd: Command, ctx: CliContext): void {
  ctx.failureExit = 125;
  cmd
    .argument('<container>')
    .argument('<command...>')
    .option('-d, --detach', 'Detached mode: run command in the background')
    .option('-e, --env <list>', 'Set environment variables', collect)
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('-u, --user <string>', 'Username or UID (format: "<name|uid>[:<group|gid>]")')
    .option('-w, --workdir <string>', 'Working directory inside the container')
    .option('--privileged', 'Give extended privileges to the command')
    .passThroughOptions()
    .action(
      async (
        name: string,
        command: string[],
        o: { detach?: boolean; env?: string[]; interactive?: boolean; tty?: boolean; user?: string; workdir?: string; privileged?: boolean },
      ) => {
        if (!o.detach) checkTty(!!o.tty, !!o.interactive);
        const code = await (
          await ctx.engine()
        ).containers.exec(
          name,
          {
            cmd: command,
            tty: !!o.tty,
            interactive: !!o.interactive,
            detach: !!o.detach,
            env: (o.env ?? []).map(envFlag),
            ...(o.user ? { user: o.user } : {}),
            ...(o.workdir ? { workdir: o.workdir } : {}),
            privileged: !!o.privileged,
          },
          terminalIO(),
        );
        if (code !== 0) throw new ExitStatus(code);
      },
    );
}
