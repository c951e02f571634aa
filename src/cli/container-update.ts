/**
 * `berth update [OPTIONS] CONTAINER...`: new limits (and restart policy) for containers, in
 * place on running ones. docker's output: each container as named, one per line; warnings
 * once on stderr; every failure's message, then exit 1.
 */
import type { Command } from 'commander';
import type { ContainerUpdateOptions } from '../engine/api.js';
import type { CliContext } from './context.js';
import { bytes, int, restartPolicy, uint16 } from './flags/create-flags.js';
import { usageError } from './flags/usage-error.js';

interface UpdateFlags {
  memory?: string;
  memorySwap?: string;
  memoryReservation?: string;
  kernelMemory?: string;
  cpus?: string;
  cpuShares?: string;
  cpuPeriod?: string;
  cpuQuota?: string;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: string;
  blkioWeight?: string;
  restart?: string;
}

/** The flags → the engine's options; a bad value is a usage error (exit 125), as in docker. */
export function toUpdateOptions(f: UpdateFlags): ContainerUpdateOptions {
  const o: ContainerUpdateOptions = {};
  const memory = bytes('-m, --memory', f.memory);
  if (memory !== undefined) o.memory = memory;
  if (f.memorySwap !== undefined) o.memorySwap = f.memorySwap === '-1' ? -1 : bytes('--memory-swap', f.memorySwap)!;
  const reservation = bytes('--memory-reservation', f.memoryReservation);
  if (reservation !== undefined) o.memoryReservation = reservation;
  if (f.cpus !== undefined) {
    const n = Number(f.cpus);
    if (f.cpus.trim() === '' || !Number.isFinite(n))
      throw usageError(`invalid argument "${f.cpus}" for "--cpus" flag: failed to parse ${f.cpus} as a rational number`);
    o.nanoCpus = Math.round(n * 1e9);
  }
  const shares = int('-c, --cpu-shares', f.cpuShares);
  if (shares !== undefined) o.cpuShares = shares;
  const period = int('--cpu-period', f.cpuPeriod);
  if (period !== undefined) o.cpuPeriod = period;
  const quota = int('--cpu-quota', f.cpuQuota);
  if (quota !== undefined) o.cpuQuota = quota;
  if (f.cpusetCpus !== undefined) o.cpusetCpus = f.cpusetCpus;
  if (f.cpusetMems !== undefined) o.cpusetMems = f.cpusetMems;
  const pids = int('--pids-limit', f.pidsLimit);
  if (pids !== undefined) o.pidsLimit = pids;
  const weight = uint16('--blkio-weight', f.blkioWeight);
  if (weight !== undefined) o.blkioWeight = weight;
  if (f.restart !== undefined) o.restartPolicy = restartPolicy(f.restart);
  return o;
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<container...>')
    .option('--blkio-weight <uint16>', 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)')
    .option('--cpu-period <int>', 'Limit CPU CFS (Completely Fair Scheduler) period')
    .option('--cpu-quota <int>', 'Limit CPU CFS (Completely Fair Scheduler) quota')
    .option('-c, --cpu-shares <int>', 'CPU shares (relative weight)')
    .option('--cpus <decimal>', 'Number of CPUs')
    .option('--cpuset-cpus <string>', 'CPUs in which to allow execution (0-3, 0,1)')
    .option('--cpuset-mems <string>', 'MEMs in which to allow execution (0-3, 0,1)')
    .option('-m, --memory <bytes>', 'Memory limit')
    .option('--memory-reservation <bytes>', 'Memory soft limit')
    .option('--memory-swap <bytes>', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    .option('--pids-limit <int>', 'Tune container pids limit (set -1 for unlimited)')
    .option('--restart <string>', 'Restart policy to apply when a container exits')
    .action(async (names: string[], f: UpdateFlags) => {
      const opts = toUpdateOptions(f);
      if (Object.keys(opts).length === 0) throw new Error('you must provide one or more flags when using this command');
      const engine = await ctx.engine();
      const warnings: string[] = [];
      const errors: string[] = [];
      for (const n of names) {
        try {
          warnings.push(...(await engine.containers.update(n, opts)).warnings);
          ctx.out(n);
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
      if (warnings.length) process.stderr.write(`${warnings.join('\n')}\n`);
      if (errors.length) {
        process.stderr.write(`Error response from daemon: ${errors.join('\nError response from daemon: ')}\n`);
        process.exitCode = 1;
      }
    });
}
