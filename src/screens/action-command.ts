/**
 * The berth command line behind each dashboard action, so the status line can say what a key
 * did in CLI terms (`berth stop web`) and the help can list it per key (lazydocker#627 asks for
 * this). One table: every action the dashboard runs is named here once, with the CLI words
 * that do the same thing.
 */
import type { Command } from '../ui/bindings.js';
import type { HostState } from './hosts.js';

/** What ran, with the operands the CLI line needs. */
export type CliAction =
  | { kind: 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'attach'; names: readonly string[] }
  /** The logs view follows (-f); a save is a snapshot (no -f). */
  | { kind: 'logs'; names: readonly string[]; follow?: boolean; since?: string; timestamps?: boolean }
  | { kind: 'remove'; names: readonly string[]; force?: boolean }
  | { kind: 'containerPrune' | 'imagePrune' | 'networkPrune' | 'volumePrune' }
  | { kind: 'commit'; name: string; ref: string }
  | { kind: 'connect' | 'disconnect'; network: string; name: string }
  | { kind: 'shell'; name: string }
  | { kind: 'update'; name: string; flags: readonly string[] }
  | { kind: 'run'; image: string; name?: string }
  /** The run form: the words after `berth` it built (`run -d --name … IMAGE`). */
  | { kind: 'runArgs'; argv: readonly string[] }
  | { kind: 'pull' | 'history'; ref: string }
  | { kind: 'tag'; source: string; ref: string }
  | { kind: 'copyOut'; name: string; path: string; dest: string }
  | { kind: 'copyIn'; name: string; src: string; dir: string }
  | { kind: 'imageRemove'; ref: string }
  | { kind: 'networkRemove' | 'volumeRemove'; name: string }
  | { kind: 'networkCreate'; name: string; subnet?: string; gateway?: string }
  | { kind: 'volumeCreate'; name?: string; labels?: Readonly<Record<string, string>> };

/** The words after `berth` for an action. */
export function actionArgs(a: CliAction): string[] {
  switch (a.kind) {
    case 'start':
    case 'stop':
    case 'restart':
    case 'pause':
    case 'unpause':
    case 'attach':
      return [a.kind, ...a.names];
    case 'runArgs':
      return [...a.argv];
    case 'pull':
    case 'history':
      return [a.kind, a.ref];
    case 'tag':
      return ['tag', a.source, a.ref];
    case 'copyOut':
      return ['cp', `${a.name}:${a.path}`, a.dest];
    case 'copyIn':
      return ['cp', a.src, `${a.name}:${a.dir}`];
    case 'kill':
      return ['kill', ...a.names]; // docker kill sends SIGKILL by default, as the key does
    case 'logs':
      return ['logs', ...(a.follow === false ? [] : ['-f']), ...(a.since ? ['--since', a.since] : []), ...(a.timestamps ? ['-t'] : []), ...a.names];
    case 'remove':
      return ['rm', ...(a.force ? ['-f'] : []), ...a.names];
    case 'containerPrune':
      return ['container', 'prune', '-f'];
    case 'imagePrune':
      return ['image', 'prune', '-f'];
    case 'networkPrune':
      return ['network', 'prune', '-f'];
    case 'volumePrune':
      return ['volume', 'prune', '-f'];
    case 'commit':
      return ['commit', a.name, a.ref];
    case 'connect':
    case 'disconnect':
      return ['network', a.kind, a.network, a.name];
    case 'shell':
      return ['exec', '-it', a.name, '/bin/sh'];
    case 'update':
      return ['update', ...a.flags, a.name];
    case 'run':
      return ['run', '-d', ...(a.name ? ['--name', a.name] : []), a.image];
    case 'imageRemove':
      return ['rmi', a.ref];
    case 'networkRemove':
      return ['network', 'rm', a.name];
    case 'volumeRemove':
      return ['volume', 'rm', a.name];
    case 'networkCreate':
      return ['network', 'create', ...(a.subnet ? ['--subnet', a.subnet] : []), ...(a.gateway ? ['--gateway', a.gateway] : []), a.name];
    case 'volumeCreate':
      return ['volume', 'create', ...Object.entries(a.labels ?? {}).flatMap(([k, v]) => ['--label', v ? `${k}=${v}` : k]), ...(a.name ? [a.name] : [])];
  }
}

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellWord(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * How the CLI reaches the host: nothing for the embedded engine (the default context), the
 * context's name for a context, `-H` for a host named on the command line (its name is the
 * short form host-list gives such hosts: "admin@prod1", "docker", "10.0.0.5:2376").
 */
export function hostArgs(h: Pick<HostState, 'name' | 'label'> | undefined): string[] {
  if (!h || h.name === 'default' || h.label === 'embedded') return [];
  if (h.label.includes('://') || h.label.startsWith('/')) {
    if (h.name.replace(/-\d+$/, '') === shortHost(h.label)) return ['-H', h.label];
  }
  return ['--context', h.name];
}

/** host-list's short name of a -H host (a copy of its rule: screens do not import the docker backend). */
function shortHost(host: string): string {
  const h = host.includes('://') ? host : host.startsWith('/') ? `unix://${host}` : `tcp://${host}`;
  if (h.startsWith('unix://')) return (h.slice('unix://'.length).split('/').pop() ?? '').replace(/\.sock$/, '') || 'unix';
  try {
    const u = new URL(h);
    return u.protocol === 'ssh:' ? `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}` : `${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return '';
  }
}

/** The full command line: `berth [-H …|--context …] ARGS`. */
export function cliLine(a: CliAction, host?: Pick<HostState, 'name' | 'label'>): string {
  return ['berth', ...hostArgs(host), ...actionArgs(a)].map(shellWord).join(' ');
}

/**
 * The berth command behind a logs view (it follows) or a save of it (a snapshot, redirected into
 * the file). `berth logs` takes one container, so merged logs read as one command per container.
 */
export function logsCommand(names: readonly string[], o: { since: string; timestamps: boolean; file?: string }, line: (a: CliAction) => string): string {
  const one = (name: string) =>
    line({ kind: 'logs', names: [name], follow: o.file === undefined, ...(o.since ? { since: o.since } : {}), timestamps: o.timestamps });
  if (names.length === 1) return o.file === undefined ? one(names[0]!) : `${one(names[0]!)} > ${shellWord(o.file)}`;
  return `${names.map(one).join('; ')}${o.file === undefined ? '' : '  (merged by time)'}`;
}

/** The status line's text after an action: the result, then the command that does the same. */
export function withCli(result: string, cli: string | undefined): string {
  return cli ? `${result}  $ ${cli}` : result;
}

/**
 * The CLI form of a key for the help (operands as placeholders), per scope the key works in;
 * undefined for keys with no CLI equivalent (motions, panes, filter).
 */
export function helpCommand(command: Command, scope: string): string | undefined {
  const n = ['NAME'];
  const containers: Partial<Record<Command, CliAction>> = {
    start: { kind: 'start', names: n },
    stop: { kind: 'stop', names: n },
    restart: { kind: 'restart', names: n },
    pause: { kind: 'pause', names: n },
    kill: { kind: 'kill', names: n },
    remove: { kind: 'remove', names: n },
    prune: { kind: 'containerPrune' },
    commit: { kind: 'commit', name: 'NAME', ref: 'REPO:TAG' },
    connect: { kind: 'connect', network: 'NET', name: 'NAME' },
    disconnect: { kind: 'disconnect', network: 'NET', name: 'NAME' },
    shell: { kind: 'shell', name: 'NAME' },
    attach: { kind: 'attach', names: n },
    logs: { kind: 'logs', names: n },
    update: { kind: 'update', name: 'NAME', flags: ['--memory', 'M', '--cpus', 'N', '…'] },
  };
  const byScope: Record<string, Partial<Record<Command, CliAction>>> = {
    containers,
    detail: { logs: { kind: 'logs', names: n } },
    images: {
      remove: { kind: 'imageRemove', ref: 'IMAGE' },
      prune: { kind: 'imagePrune' },
      pull: { kind: 'pull', ref: 'IMAGE' },
      tag: { kind: 'tag', source: 'IMAGE', ref: 'REPO:TAG' },
      run: { kind: 'runArgs', argv: ['run', '-d', '[--name N -p … -v … -e …]', 'IMAGE'] },
      history: { kind: 'history', ref: 'IMAGE' },
    },
    logs: {
      sinceAll: { kind: 'logs', names: n },
      since1m: { kind: 'logs', names: n, since: '1m' },
      since5m: { kind: 'logs', names: n, since: '5m' },
      since1h: { kind: 'logs', names: n, since: '1h' },
      sinceAsk: { kind: 'logs', names: n, since: 'WHEN' },
      timestamps: { kind: 'logs', names: n, timestamps: true },
      follow: { kind: 'logs', names: n },
    },
    files: {
      copyOut: { kind: 'copyOut', name: 'NAME', path: 'PATH', dest: 'DEST' },
      copyIn: { kind: 'copyIn', name: 'NAME', src: 'SRC', dir: 'DIR' },
    },
    networks: {
      remove: { kind: 'networkRemove', name: 'NET' },
      prune: { kind: 'networkPrune' },
      create: { kind: 'networkCreate', name: 'NAME', subnet: 'CIDR' },
    },
    volumes: { remove: { kind: 'volumeRemove', name: 'VOL' }, prune: { kind: 'volumePrune' }, create: { kind: 'volumeCreate', name: 'NAME' } },
  };
  if (scope === 'resources') {
    if (command === 'remove') return 'berth rmi IMAGE | network rm NET | volume rm VOL';
    if (command === 'prune') return 'berth image|network|volume prune -f';
    return undefined;
  }
  const a = byScope[scope]?.[command];
  if (a) return ['berth', ...actionArgs(a)].join(' ');
  // Views that stand for several commands: the one a user would type for the same result.
  if (scope === 'containers' && command === 'files') return 'berth cp NAME:PATH DEST  (and DEST NAME:PATH)';
  if (scope === 'logs' && command === 'save') return 'berth logs [-t] [--since WHEN] NAME > FILE';
  if (scope === 'containers' && command === 'projectLogs') return 'berth logs -t NAME  (each of the project, merged by time)';
  return undefined;
}
