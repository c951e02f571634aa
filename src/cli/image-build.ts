/**
 * `berth build [-t NAME[:TAG]]… [-f Dockerfile] [--build-arg K=V] [--no-cache] [--target T]
 * [--network N] [--label K=V] [--pull] [-q] [--cache-from IMAGE]… [--add-host H:IP] [--shm-size B] [-m B] [--memory-swap B]
 * [-c N] [--cpuset-cpus L] [--cpu-period N] [--cpu-quota N] CONTEXT`: an image from a Dockerfile;
 * the last eight set each RUN step's container.
 */
import type { Command } from 'commander';
import { Writable } from 'node:stream';
import { collect, type CliContext } from './context.js';
import { isEngineError } from '../engine/index.js';
import { StatusError } from './exit-codes.js';
import { bytes, extraHosts, int } from './flags/create-flags.js';
import type { BuildRunSettings } from '../engine/index.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-t, --tag <name>', 'Name and optionally a tag in the "name:tag" format', collect, [])
    .option('-f, --file <string>', 'Name of the Dockerfile (default: "PATH/Dockerfile")')
    .option('--build-arg <K=V>', 'Set build-time variables', collect, [])
    .option('--label <K=V>', 'Set metadata for an image', collect, [])
    .option('--no-cache', 'Do not use cache when building the image')
    .option('--target <string>', 'Set the target build stage to build')
    .option('--network <string>', 'Set the networking mode for the RUN instructions during build', 'bridge')
    .option('--pull', 'Always attempt to pull a newer version of the image')
    .option('--cache-from <string>', 'Images to consider as cache sources', collect, [])
    .option('-q, --quiet', 'Suppress the build output and print image ID on success')
    .option('--add-host <list>', 'Add a custom host-to-IP mapping (host:ip) for RUN', collect, [])
    .option('--shm-size <bytes>', 'Size of /dev/shm for RUN')
    .option('-m, --memory <bytes>', 'Memory limit for RUN')
    .option('--memory-swap <bytes>', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    .option('-c, --cpu-shares <int>', 'CPU shares (relative weight) for RUN')
    .option('--cpuset-cpus <string>', 'CPUs in which to allow execution (0-3, 0,1)')
    .option('--cpu-period <int>', 'Limit the CPU CFS (Completely Fair Scheduler) period')
    .option('--cpu-quota <int>', 'Limit the CPU CFS (Completely Fair Scheduler) quota')
    .argument('<context>')
    .action(
      async (
        context: string,
        o: {
          tag: string[];
          file?: string;
          buildArg: string[];
          label: string[];
          cache: boolean;
          target?: string;
          network: string;
          pull?: boolean;
          quiet?: boolean;
          cacheFrom: string[];
        } & RunFlags,
      ) => {
        if (context === '-' || /^(https?|git):\/\//.test(context)) throw new Error('berth build needs a local directory as its context');
        const kv = (list: string[], what: string) =>
          Object.fromEntries(
            list.map((a) => {
              const eq = a.indexOf('=');
              if (eq <= 0) {
                // docker: "--build-arg NAME" takes the value from the environment
                if (what === 'build-arg' && process.env[a] !== undefined) return [a, process.env[a]!];
                throw new Error(`invalid ${what} ${JSON.stringify(a)}: expected KEY=VALUE`);
              }
              return [a.slice(0, eq), a.slice(eq + 1)];
            }),
          );
        const runContainer = runSettings(o); // flag errors before the engine opens
        const engine = await ctx.engine();
        const out = o.quiet ? new Writable({ write: (_c, _e, cb) => cb() }) : ctx.stdout;
        const id = await buildExit(
          engine.build({
            context,
            ...(o.file ? { dockerfile: o.file } : {}),
            tags: o.tag,
            buildArgs: kv(o.buildArg, 'build-arg'),
            labels: kv(o.label, 'label'),
            noCache: o.cache === false,
            ...(o.target ? { target: o.target } : {}),
            network: o.network,
            pull: !!o.pull,
            runContainer,
            // a string slice in docker's CLI: commas split it too
            ...(o.cacheFrom.length ? { cacheFrom: o.cacheFrom.flatMap((c) => c.split(',')).filter(Boolean) } : {}),
            out,
          }),
        );
        if (o.quiet) ctx.out(id);
      },
    );
}

interface RunFlags {
  addHost: string[];
  shmSize?: string;
  memory?: string;
  memorySwap?: string;
  cpuShares?: string;
  cpusetCpus?: string;
  cpuPeriod?: string;
  cpuQuota?: string;
}

/** The RUN containers' settings; a bad value is a usage error (exit 125), as in docker. */
function runSettings(f: RunFlags): BuildRunSettings {
  const r: BuildRunSettings = {};
  if (f.addHost.length) r.extraHosts = extraHosts(f.addHost);
  const shm = bytes('--shm-size', f.shmSize);
  if (shm !== undefined) r.shmSize = shm;
  const memory = bytes('-m, --memory', f.memory);
  if (memory !== undefined) r.memory = memory;
  if (f.memorySwap !== undefined) r.memorySwap = f.memorySwap === '-1' ? -1 : bytes('--memory-swap', f.memorySwap)!;
  const shares = int('-c, --cpu-shares', f.cpuShares);
  if (shares !== undefined) r.cpuShares = shares;
  if (f.cpusetCpus !== undefined) r.cpusetCpus = f.cpusetCpus;
  const period = int('--cpu-period', f.cpuPeriod);
  if (period !== undefined) r.cpuPeriod = period;
  const quota = int('--cpu-quota', f.cpuQuota);
  if (quota !== undefined) r.cpuQuota = quota;
  return r;
}

/** A failing RUN exits with its command's code, as docker's CLI does (both backends word it
 *  "The command '…' returned a non-zero code: N"); other failures as usual. */
async function buildExit(p: Promise<string>): Promise<string> {
  try {
    return await p;
  } catch (e) {
    if (!isEngineError(e)) throw e;
    const m = /returned a non-zero code: (\d+)$/.exec(e.message);
    if (m && Number(m[1]) > 0) throw new StatusError(e.message, Number(m[1]));
    throw e;
  }
}
