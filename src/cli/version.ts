/**
 * `berth version`: berth's own version (the client) and the engine's (embedded or a daemon).
 * For a user other than root the embedded engine cannot open (root-required.ts); its server
 * is this same berth, so the version is still printed, with why the engine is not available.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { formatDocument } from './format/document.js';
import { FormatFailure } from './format/failure.js';
import { berthVersion, API_VERSION } from '../engine/index.js';
import { RootRequiredError } from '../engine/index.js';
import type { EngineInfo, VersionInfo } from '../engine/api.js';
import { ociArch } from '../engine/index.js';

interface Server {
  title: string;
  engine: EngineInfo['engine'];
  version: VersionInfo;
  note?: string;
}

async function server(ctx: CliContext): Promise<Server> {
  try {
    const engine = await ctx.engine();
    const [v, info] = await Promise.all([engine.system.version(), engine.system.info()]);
    const title =
      info.engine === 'embedded' ? 'berth (embedded engine, no daemon)' : `${info.engine === 'podman' ? 'Podman' : 'Docker'} Engine ${info.serverVersion}`;
    return { title, engine: info.engine, version: v };
  } catch (e) {
    if (!(e instanceof RootRequiredError)) throw e;
    const version = { version: berthVersion(), apiVersion: API_VERSION, nodeVersion: process.version, os: 'linux', arch: ociArch(), components: [] };
    return { title: 'berth (embedded engine, no daemon)', engine: 'embedded', version, note: e.message };
  }
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd.option('-f, --format <string>', 'Format output using a custom template').action(async (o: { format?: string }) => {
    const s = await server(ctx);
    const v = s.version;
    const doc = {
      Client: { Version: berthVersion(), ApiVersion: API_VERSION, NodeVersion: process.version, Os: 'linux', Arch: v.arch },
      Server: { Engine: s.engine, Version: v.version, ApiVersion: v.apiVersion, Components: v.components, ...(s.note ? { Unavailable: s.note } : {}) },
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

Server: ${s.title}
 API version:  ${v.apiVersion}
${s.note ? ` Unavailable:  ${s.note}` : v.components.map((c) => ` ${c.name}:\n  Version:      ${c.version}`).join('\n')}`);
  });
}
