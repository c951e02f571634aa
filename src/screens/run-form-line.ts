/**
 * The run form's values → the `berth run -d …` line and the create options that line means.
 * One module owns both so they cannot drift: the test parses the line with berth's own CLI
 * flags and expects the same options. Lists are comma separated in the form ("8080:80, 443").
 * Ports go through the engine's own -p parser; sizes and volumes follow docker's -m and -v
 * rules (their CLI parsers live under src/cli, which screens may not import).
 */
import type { ContainerCreateOptions, MountSpec } from '../engine/api.js';
import { parsePortSpec } from '../net/ports.js';

export interface RunFormValues {
  image: string;
  name: string;
  ports: string;
  volumes: string;
  env: string;
  network: string;
  restart: string;
  memory: string;
  cpus: string;
  command: string;
}

export const RUN_FIELDS: readonly { id: keyof RunFormValues; label: string; placeholder: string }[] = [
  { id: 'name', label: 'name', placeholder: 'empty = a generated name' },
  { id: 'ports', label: 'ports', placeholder: '8080:80, 127.0.0.1:5432:5432/tcp' },
  { id: 'volumes', label: 'volumes', placeholder: 'data:/data, /srv/conf:/etc/app:ro' },
  { id: 'env', label: 'env', placeholder: 'KEY=value, OTHER=2' },
  { id: 'network', label: 'network', placeholder: 'bridge (default), a network name, host, none' },
  { id: 'restart', label: 'restart', placeholder: 'no, always, unless-stopped, on-failure[:N]' },
  { id: 'memory', label: 'memory', placeholder: 'e.g. 256m, 1g' },
  { id: 'cpus', label: 'cpus', placeholder: 'e.g. 0.5, 2' },
  { id: 'command', label: 'command', placeholder: "empty = the image's" },
];

export type RunBuild = { ok: true; argv: string[]; line: string; options: ContainerCreateOptions } | { ok: false; error: string; argv: string[]; line: string };

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** docker's size strings (-m 512m): digits, an optional unit b/k/m/g/t/p, binary multiples. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgtp]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`invalid size: '${s}'`);
  const mult: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  return Math.round(Number(m[1]) * mult[m[2]!.toLowerCase()]!);
}

/** docker's `-v NAME:/path[:ro|rw]` and `-v /host:/path[:ro|rw]` (the form's subset of -v). */
export function parseVolume(spec: string): MountSpec {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p))
    throw new Error(`invalid volume: '${spec}' (NAME:/path or /host/path:/path, optionally :ro)`);
  const [src, target, mode = ''] = parts as [string, string, string?];
  if (mode && mode !== 'ro' && mode !== 'rw') throw new Error(`invalid mode: ${mode}`);
  if (!target.startsWith('/')) throw new Error(`invalid volume: '${spec}': the path inside must be absolute`);
  if (src.startsWith('.')) throw new Error(`invalid volume: '${spec}': a host path must be absolute`);
  const readOnly = mode === 'ro';
  return src.startsWith('/') ? { type: 'bind', source: src, target, readOnly, createHostPath: true } : { type: 'volume', source: src, target, readOnly };
}

/** Quotes an argument for a POSIX shell when it needs it, so the line can be pasted. */
export function shellQuote(a: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export function buildRun(v: RunFormValues): RunBuild {
  const argv: string[] = ['run', '-d'];
  const name = v.name.trim();
  const ports = list(v.ports);
  const volumes = list(v.volumes);
  const env = list(v.env);
  const network = v.network.trim();
  const restart = v.restart.trim();
  const memory = v.memory.trim();
  const cpus = v.cpus.trim();
  const command = v.command.trim() ? v.command.trim().split(/\s+/) : [];
  if (name) argv.push('--name', name);
  for (const p of ports) argv.push('-p', p);
  for (const m of volumes) argv.push('-v', m);
  for (const e of env) argv.push('-e', e);
  if (network) argv.push('--network', network);
  if (restart) argv.push('--restart', restart);
  if (memory) argv.push('-m', memory);
  if (cpus) argv.push('--cpus', cpus);
  argv.push(v.image, ...command);
  const line = ['berth', ...argv].map(shellQuote).join(' ');
  try {
    if (name && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) throw new Error(`invalid container name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    for (const e of env) if (e.startsWith('=')) throw new Error(`invalid environment variable: ${e}`);
    const [rname, max] = (restart || 'no').split(':');
    if (!['no', 'on-failure', 'always', 'unless-stopped'].includes(rname!)) throw new Error(`invalid restart policy: ${restart}`);
    if (max !== undefined && (rname !== 'on-failure' || !/^\d+$/.test(max))) throw new Error(`invalid restart policy format: ${restart}`);
    let nanoCpus: number | undefined;
    if (cpus) {
      const n = Number(cpus);
      if (!Number.isFinite(n) || n < 0) throw new Error(`invalid cpus: ${cpus}`);
      nanoCpus = Math.round(n * 1e9);
    }
    // The same fields, in the same shape, as the CLI's toCreateOptions for this line.
    const options: ContainerCreateOptions = {
      image: v.image,
      ...(command.length ? { cmd: command } : {}),
      env,
      tty: false,
      openStdin: false,
      autoRemove: false,
      restartPolicy: { name: rname as 'no', maximumRetryCount: max ? Number(max) : 0 },
      labels: {},
      mounts: volumes.map(parseVolume),
      volumesFrom: [],
      ports: ports.flatMap(parsePortSpec).map((r) => ({ hostIp: r.hostIp, hostPort: r.hostPortStart, containerPort: r.containerPort, protocol: r.protocol })),
      publishAll: false,
      networkAliases: [],
      extraHosts: [],
      dns: [],
      // --pull's default: the image is on this host already (the form starts from its row)
      pull: 'missing',
    };
    if (name) options.name = name;
    if (memory) options.memory = parseSize(memory);
    if (nanoCpus !== undefined) options.nanoCpus = nanoCpus;
    if (network) options.network = network;
    return { ok: true, argv, line, options };
  } catch (e) {
    return { ok: false, error: (e as Error).message, argv, line };
  }
}
