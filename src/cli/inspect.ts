/** `berth inspect NAME|ID...`: containers first, then images, volumes and networks, as docker. */
import type { Command } from 'commander';
import type { Engine } from '../engine/api.js';
import { isEngineError, notFound } from '../engine/index.js';
import type { CliContext } from './context.js';
import { StatusError } from './exit-codes.js';
import type { InspectDoc } from './format/inspect.js';
import { inspectEach } from './inspect-each.js';
import { networkDoc } from './network-doc.js';
import { volumeDoc } from './volume-doc.js';

type Kind = 'container' | 'image' | 'volume' | 'network';

/** The object of that name, as the same document its own inspect command prints. */
async function inspectAny(engine: Engine, name: string, type?: Kind): Promise<InspectDoc> {
  const tries: [Kind, () => Promise<unknown>][] = [
    ['container', () => engine.containers.inspect(name)],
    ['image', () => engine.images.inspect(name)],
    ['volume', async () => volumeDoc(await engine.volumes.inspect(name))],
    ['network', async () => networkDoc(await engine.networks.inspect(name))],
  ];
  for (const [kind, f] of tries) {
    if (type && kind !== type) continue;
    try {
      return { kind, doc: await f() };
    } catch (e) {
      if (!isEngineError(e, 'not-found') && !isEngineError(e, 'unsupported') && !isEngineError(e, 'invalid')) throw e;
    }
  }
  // docker: with --type, the typed message ("No such image: web")
  throw notFound(type ? `No such ${type}: ${name}` : `No such object: ${name}`);
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<name...>', 'NAME|ID')
    .option('-f, --format <string>', 'Format output using a custom template')
    .option('--type <string>', 'Return JSON for specified type (container, image, volume, network)')
    .action(async (names: string[], o: { format?: string; type?: string }) => {
      // docker prints this one bare (a status error), exit 1
      if (o.type && !['container', 'image', 'volume', 'network'].includes(o.type)) throw new StatusError(`"${o.type}" is not a valid value for --type`, 1);
      const engine = await ctx.engine();
      await inspectEach(ctx, names, o.format, (n) => inspectAny(engine, n, o.type as Kind | undefined));
    });
}
