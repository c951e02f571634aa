/** `berth info`: engine facts, docker's layout. */
import type { Command } from 'commander';
import type { EngineInfo } from '../engine/api.js';
import type { CliContext } from './context.js';
import { formatDocument } from './format/document.js';
import { FormatFailure } from './format/failure.js';
import { binarySize } from './format/units.js';

/** The engine's facts under docker's `info` names (and berth's own: Engine, RunRoot). */
function infoDoc(i: EngineInfo): Record<string, unknown> {
  return {
    Containers: i.containers,
    ContainersRunning: i.containersRunning,
    ContainersPaused: i.containersPaused,
    ContainersStopped: i.containersStopped,
    Images: i.images,
    Driver: i.storageDriver,
    CgroupDriver: i.cgroupDriver,
    CgroupVersion: i.cgroupVersion,
    KernelVersion: i.kernelVersion,
    OperatingSystem: i.operatingSystem,
    OSType: 'linux',
    Architecture: i.architecture,
    NCPU: i.ncpu,
    MemTotal: i.memTotal,
    DockerRootDir: i.rootDir,
    Name: i.name,
    ServerVersion: i.serverVersion,
    DefaultRuntime: i.ociRuntime,
    Engine: i.engine,
    RunRoot: i.runRoot,
  };
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --format <string>', 'Format output using a custom template').action(async (o: { format?: string }) => {
    const i = await (await ctx.engine()).system.info();
    if (o.format) {
      const r = formatDocument(infoDoc(i), o.format);
      ctx.out(r.out);
      if (r.error) throw new FormatFailure(r.error, 1);
      return;
    }
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
