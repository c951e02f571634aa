/** `berth info`: engine facts, docker's layout. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { applyTemplate } from './format/template.js';
import { binarySize } from './format/units.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --format <string>', 'Format output using a custom template').action(async (o: { format?: string }) => {
    const i = await (await ctx.engine()).system.info();
    if (o.format) return ctx.out(o.format === 'json' ? JSON.stringify(i) : applyTemplate(o.format, i));
    ctx.out(`Server:
 Engine: berth ${i.engine}
 Containers: ${i.containers}
  Running: ${i.containersRunning}
  Paused: ${i.containersPaused}
  Stopped: ${i.containersStopped}
 Images: ${i.images}
 Server Version: ${i.serverVersion}
 Storage Driver: ${i.storageDriver}
 Cgroup Driver: ${i.cgroupDriver}
 Cgroup Version: ${i.cgroupVersion}
 Default Runtime: ${i.ociRuntime}
 Kernel Version: ${i.kernelVersion}
 Operating System: ${i.operatingSystem}
 Architecture: ${i.architecture}
 CPUs: ${i.ncpu}
 Total Memory: ${binarySize(i.memTotal)}
 Name: ${i.name}
 Root Dir: ${i.rootDir}
 Run Root: ${i.runRoot}`);
  });
}
