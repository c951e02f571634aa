/** `berth context create NAME --docker host=…[,ca=…,cert=…,key=…,skip-tls-verify=true]`. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { StatusError } from './exit-codes.js';
import { ContextStore } from '../engine/docker/contexts.js';
import type { TlsOptions } from '../engine/index.js';
import { parseHost } from '../engine/index.js';

/** docker's `--docker` value: comma-separated key=value. */
export function parseDockerEndpoint(spec: string): { host: string; tls?: TlsOptions } {
  const kv = new Map<string, string>();
  for (const part of spec.split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`invalid --docker value ${JSON.stringify(part)}: expected key=value`);
    const k = part.slice(0, eq);
    if (!['host', 'ca', 'cert', 'key', 'skip-tls-verify', 'from'].includes(k)) throw new Error(`unrecognized config key: ${k}`);
    kv.set(k, part.slice(eq + 1));
  }
  const host = kv.get('host');
  if (!host) throw new Error('--docker needs host=…');
  parseHost(host); // refuses what could never connect, now rather than at first use
  const files = ['ca', 'cert', 'key'].some((k) => kv.has(k));
  const skip = kv.get('skip-tls-verify') === 'true';
  if (!files && !skip) return { host };
  const abs = (k: string) => (kv.has(k) ? resolve(kv.get(k)!) : undefined);
  return { host, tls: { tls: true, verify: !skip, caCert: abs('ca'), cert: abs('cert'), key: abs('key') } };
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('<context>')
    .option('--description <string>', 'Description of the context')
    .option('--docker <stringToString>', 'set the docker endpoint (host=unix:///…|tcp://…|ssh://…, ca, cert, key, skip-tls-verify)')
    .action((name: string, o: { description?: string; docker?: string }) => {
      // Checked here, not as commander's required option: that check would come before an
      // unknown flag's (docker reports the flag mistake first).
      if (o.docker === undefined) throw new StatusError('required flag(s) "docker" not set', 1, true);
      const ep = parseDockerEndpoint(o.docker);
      new ContextStore().create(name, ep.host, { description: o.description, tls: ep.tls });
      ctx.out(name);
      process.stderr.write(`Successfully created context "${name}"\n`);
    });
}
