/** `berth start [-a] [-i] CONTAINER...`. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { ExitStatus } from './exit-codes.js';
import { forEach } from './each.js';
import { terminalIO } from './stdio.js';
import { proxySignalsUnlessTty } from './sig-proxy.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .option('-a, --attach', 'Attach STDOUT/STDERR and forward signals')
    .option('-i, --interactive', "Attach container's STDIN")
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .action(async (names: string[], o: { attach?: boolean; interactive?: boolean; detachKeys?: string }) => {
      const engine = await ctx.engine();
      if (o.attach || o.interactive) {
        if (names.length > 1) throw new Error('you cannot start and attach multiple containers at once');
        ctx.failureExit = 125;
        // docker's start -a forwards signals (its --sig-proxy is always on)
        const unproxy = await proxySignalsUnlessTty(engine, names[0]!);
        let r: 'detached' | number;
        try {
          r = await engine.containers.startAttached(names[0]!, terminalIO(), {
            stdin: !!o.interactive,
            ...(o.detachKeys !== undefined ? { detachKeys: o.detachKeys } : {}),
          });
        } finally {
          unproxy();
        }
        if (r !== 'detached') throw new ExitStatus(r);
        return;
      }
      await forEach(ctx, names, (n) => engine.containers.start(n));
    });
}
