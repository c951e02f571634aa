/** `berth context inspect [NAME...]`: docker's JSON shape (Name, Metadata, Endpoints.docker). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { ContextStore } from '../engine/docker/contexts.js';

export function define(cmd: Command, ctx: CliContext): void {
  cmd.argument('[context...]').action((names: string[]) => {
    const store = new ContextStore();
    const which = names.length ? names : [ctx.globals.context || process.env.BERTH_CONTEXT || store.current()];
    const docs = which.map((n) => {
      const c = store.get(n);
      return {
        Name: c.name,
        Metadata: { Description: c.description },
        Endpoints: { docker: { Host: c.host || 'embedded', SkipTLSVerify: c.tls ? c.tls.tls === true && c.tls.verify === false : false } },
        TLSMaterial: c.tls ? { docker: [c.tls.caCert, c.tls.cert, c.tls.key].filter(Boolean) } : {},
        Storage: { Source: c.source },
      };
    });
    ctx.out(JSON.stringify(docs, null, 4));
  });
}
