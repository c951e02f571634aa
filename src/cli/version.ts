/** `berth version`: client and engine versions, docker's layout. */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { applyTemplate } from './format/template.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --format <string>', 'Format output using a custom template').action(async (o: { format?: string }) => {
    const v = await (await ctx.engine()).system.version();
    const doc = { Client: { Version: v.version, ApiVersion: v.apiVersion, NodeVersion: v.nodeVersion, Os: v.os, Arch: v.arch }, Server: { Engine: 'embedded', Version: v.version, Components: v.components } };
    if (o.format) return ctx.out(o.format === 'json' ? JSON.stringify(doc) : applyTemplate(o.format, doc));
    ctx.out(`Client:
 Version:      ${v.version}
 API version:  ${v.apiVersion}
 Node version: ${v.nodeVersion}
 OS/Arch:      ${v.os}/${v.arch}

Server: berth (embedded engine, no daemon)
${v.components.map((c) => ` ${c.name}:\n  Version:      ${c.version}`).join('\n')}`);
  });
}
