/** `berth attach CONTAINER`: Ctrl-P Ctrl-Q detaches; the container's exit code becomes ours. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { ExitStatus } from './exit-codes.js';
import { terminalIO } from './stdio.js';
import { proxySignalsUnlessTty } from './sig-proxy.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container>')
    .option('--detach-keys <string>', 'Override the key sequence for detaching a container')
    .option('--no-stdin', 'Do not attach STDIN')
    .option('--sig-proxy', 'Proxy all received signals to the process (default true)', true)
    .option('--no-sig-proxy', 'Do not proxy signals')
    .action(async (name: string, o: { detachKeys?: string; stdin: boolean; sigProxy: boolean }) => {
      const engine = await ctx.engine();
      const unproxy = o.sigProxy ? await proxySignalsUnlessTty(engine, name) : () => undefined;
      let r: 'detached' | number;
      try {
        r = await engine.containers.attach(name, terminalIO(), { stdin: o.stdin, ...(o.detachKeys !== undefined ? { detachKeys: o.detachKeys } : {}) });
      } finally {
        unproxy();
      }
      if (r === 'detached') {
        process.stderr.write('read escape sequence\n');
        return;
      }
      if (r !== 0) throw new ExitStatus(r);
    });
}
