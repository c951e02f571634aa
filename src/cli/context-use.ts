/** `berth context use NAME`: later commands (and the dashboard) talk to it; "default" = embedded. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { ContextStore } from '../engine/docker/contexts.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.argument('<context>').action((name: string) => {
    new ContextStore().use(name);
    ctx.out(name);
    process.stderr.write(`Current context is now "${name}"\n`);
    if (process.env.DOCKER_HOST)
      process.stderr.write(
        'Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the global --context flag, or unset DOCKER_HOST environment variable.\n',
      );
  });
}
