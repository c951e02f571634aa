/** `berth version`: berth's own version (the client) and the engine's (embedded or a daemon). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { formatDocument } from './format/document.js';
import { FormatFailure } from './format/failure.js';
import { berthVersion, API_VERSION } from '../engine/version.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --format <string>', 'Format output using a custom template').action(async (o: { format?: string }) => {
    const engine = await ctx.engine();
    const [v, info] = await Promise.all([engine.system.version(), engine.system.info()]);
    const server = info.engine === 'embedded' ? 'berth (embedded engine, no daemon)' : `${info.engine === 'podman' ? 'Podman' : 'Docker'} Engine ${info.serverVersion}`;
    const doc = {
      Client: { Version: berthVersion(), ApiVersion: API_VERSION, NodeVersion: process.version, Os: 'linux', Arch: v.arch },
      Server: { Engine: info.engine, Version: v.version, ApiVersion: v.apiVersion, Components: v.components },
    };
    if (o.format) {
      // docker runs the version template through a tabwriter (minwidth 20, padding 1).
      const r = formatDocument(doc, o.format, { name: 'version', tabwriter: { minwidth: 20, padding: 1 } });
      ctx.out(r.out);
      if (r.error) throw new FormatFailure(r.error, 1);
      return;
    }
    ctx.out(`Client: berth
 Version:      ${berthVersion()}
 API version:  ${API_VERSION}
 Node version: ${process.version}
 OS/Arch:      linux/${v.arch}

Server: ${server}
 API version:  ${v.apiVersion}
${v.components.map((c) => ` ${c.name}:\n  Version:      ${c.version}`).join('\n')}`);
  });
}
