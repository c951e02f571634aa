/**
 * `berth build [-t NAME[:TAG]]… [-f Dockerfile] [--build-arg K=V] [--no-cache] [--target T]
 * [--network N] [--label K=V] [--pull] [-q] CONTEXT`: an image from a Dockerfile.
 */
import type { Command } from 'commander';
import { Writable } from 'node:stream';
import { collect, type CliContext } from './context.js';
import { isEngineError } from '../engine/index.js';
import { StatusError } from './exit-codes.js';

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
    .option('-q, --quiet', 'Suppress the build output and print image ID on success')
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
        },
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
            out,
          }),
        );
        if (o.quiet) ctx.out(id);
      },
    );
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
