/** `berth logout [SERVER]`: removes the credentials docker/berth keep for a registry. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { logout, serverKey } from '../engine/registry/index.js';
import { domainOf } from './login.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.argument('[server]').action(async (server: string | undefined) => {
    const domain = domainOf(server);
    const key = serverKey(domain);
    if (await logout(domain)) ctx.out(`Removing login credentials for ${key}`);
    else ctx.out(`Not logged in to ${key}`);
  });
}
