/** `berth inspect NAME|ID...`: containers first, then images, volumes and networks, as docker. */
import type { Command } from 'commander';
import type { Engine } from '../engine/api.js';
import { isEngineError, notFound } from '../engine/errors.js';
import type { CliContext } from './context.js';
import { inspectEach } from './inspect-each.js';

type Kind = 'container' | 'image' | 'volume' | 'network';

async function inspectAny(engine: Engine, name: string, type?: Kind): Promise<unknown> {
  const tries: [Kind, () => Promise<unknown>][] = [
    ['container', () => engine.containers.inspect(name)],
    ['image', () => engine.images.inspect(name)],
    ['volume', () => engine.volumes.inspect(name)],
    ['network', () => engine.networks.inspect(name)],
  ];
  for (const [kind, f] of tries) {
    if (type && kind !== type) continue;
    try {
      return await f();
    } catch (e) {
      if (!isEngineError(e, 'not-found') && !isEngineError(e, 'unsupported') && !isEngineError(e, 'invalid')) throw e;
    }
  }
  throw notFound(`No such object: ${name}`);
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<name...>', 'NAME|ID')
    .option('-f, --format <string>', 'Format output using a custom template')
    .option('--type <string>', 'Return JSON for specified type (container, image, volume, network)')
    .action(async (names: string[], o: { format?: string; type?: string }) => {
      if (o.type && !['container', 'image', 'volume', 'network'].includes(o.type)) throw new Error(`"${o.type}" is not a valid value for --type`);
      const engine = await ctx.engine();
      await inspectEach(ctx, names, o.format, (n) => inspectAny(engine, n, o.type as Kind | undefined));
    });
}
