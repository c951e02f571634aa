/**
 * Driving a full-screen program in tmux for end-to-end tests: one private tmux server per
 * instance (its own socket, `-L`, and no config file), so a test never touches a user's tmux, and
 * `kill()` ends exactly that server.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Tmux {
  readonly socket = `berth-e2e-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly session = 'dash';
  /** The last screen captured (for failure messages). */
  last = '';
  private socketPath?: string;

  constructor(readonly env: NodeJS.ProcessEnv) {}

  private tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: this.env, encoding: 'utf8', timeout: 20_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }

  /** Starts `argv` in a detached session of the given size. */
  start(argv: readonly string[], columns: number, rows: number): void {
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // remain-on-exit keeps the pane (and its last screen) if the program dies, for the message.
    this.tmux(['new-session', '-d', '-s', this.session, '-x', String(columns), '-y', String(rows), quoted]);
    this.tmux(['set-option', '-t', this.session, 'remain-on-exit', 'on']);
    this.socketPath = this.tmux(['display-message', '-p', '-t', this.session, '#{socket_path}']).trim() || undefined;
  }

  /** Literal text (each character a key press). */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.session, '-l', text]);
  }

  /** Named keys: Enter, Escape, C-c, … */
  keys(...names: string[]): void {
    this.tmux(['send-keys', '-t', this.session, ...names]);
  }

  screen(): string {
    this.last = this.tmux(['capture-pane', '-p', '-t', this.session]);
    return this.last;
  }

  /** Whether the program in the pane has exited. */
  dead(): boolean {
    return this.tmux(['display-message', '-p', '-t', this.session, '#{pane_dead}']).trim() === '1';
  }

  /** Polls the screen until `pred` returns a truthy value, which it returns; fails after timeoutMs. */
  async waitFor<T>(what: string, pred: (screen: string) => T | undefined | false | null, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      const v = pred(s);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${s}`);
      await sleep(100);
    }
  }

  waitForText(text: string | RegExp, timeoutMs?: number): Promise<string> {
    const test = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
    return this.waitFor(JSON.stringify(String(text)), (s) => (test(s) ? s : undefined), timeoutMs);
  }

  /** The PID of the program in the pane (env and bin/berth exec, so it is berth's node). */
  panePid(): number {
    return Number(this.tmux(['display-message', '-p', '-t', this.session, '#{pane_pid}']).trim());
  }

  /** Ends this test's tmux server (and the program in it) and removes its socket file, which kill-server leaves. */
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'kill-server'], { env: this.env, timeout: 20_000 });
    if (this.socketPath?.endsWith(`/${this.socket}`)) rmSync(this.socketPath, { force: true });
  }
}

/** A tmux format of the test's pane (`#{alternate_on}`, `#{cursor_flag}`, `#{pane_tty}`, …). */
export function paneFormat(t: Tmux, format: string): string {
  const r = spawnSync('tmux', ['-L', t.socket, '-f', '/dev/null', 'display-message', '-p', '-t', t.session, format], {
    env: t.env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`tmux display-message ${format} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

/*
 * Steps of the dashboard tests that several of them take alike: reading a row off the screen,
 * and the key sequences of the filter, the picker and a confirmed stop.
 */

/** A table row whose first cell is `name` (the selected row is marked with a pointer). */
export function rowOf(screen: string, name: string): string | undefined {
  return screen.split('\n').find((l) => l.replace(/^[›> ]\s*/, '').startsWith(name + ' '));
}

/** The CPU% figure (last column) of the row of `name`, or undefined. */
export function cpuOf(screen: string, name: string): number | undefined {
  const m = rowOf(screen, name)?.match(/(\d+(?:\.\d+)?)%\s*$/);
  return m ? Number(m[1]) : undefined;
}

/** Filters the list to `name` (`/NAME` Enter) and waits until `narrowed` sees it done. */
export async function filterTo(t: Tmux, name: string, narrowed: (screen: string) => unknown): Promise<void> {
  t.type('/');
  await t.waitForText(/^\/.*enter keep/m);
  t.type(name);
  t.keys('Enter');
  await t.waitFor(`only ${name} listed`, (s) => (narrowed(s) ? s : undefined));
}

/** In an open picker, moves the pointer to the option containing (or matching) `label` and picks it. */
export async function pick(t: Tmux, label: string | RegExp): Promise<void> {
  const shown = typeof label === 'string' ? `"${label}"` : String(label);
  const matches = (l: string) => (typeof label === 'string' ? l.includes(label) : label.test(l));
  for (let i = 0; i < 10; i++) {
    const line = await t.waitFor(`a picker option ${shown}`, (s) => s.split('\n').find((l) => matches(l) && /[│|]/.test(l)));
    if (line.includes('›') || /[│|]\s*>/.test(line)) {
      t.keys('Enter');
      return;
    }
    const before = t.last;
    t.type('j');
    await t.waitFor('the picker pointer to move', (s) => s !== before || undefined, 5_000);
  }
  throw new Error(`could not select ${shown} in the picker:\n${t.last}`);
}

/** Stops the selected container `name` (s, confirmed with y) and waits for the dashboard to report it. */
export async function stopSelected(t: Tmux, name: string): Promise<void> {
  t.type('s');
  await t.waitForText(`Stop container ${name}?`);
  t.type('y');
  await t.waitForText(`Stopped ${name}`, 60_000);
}

/** Waits until `name`'s CPU figure is above zero and has changed (the figures are live); returns those seen. */
export async function liveCpuOf(t: Tmux, name: string): Promise<Set<number>> {
  const seen = new Set<number>();
  await t.waitFor(
    `${name}'s CPU% to be > 0 and to change`,
    (s) => {
      const cpu = cpuOf(s, name);
      if (cpu !== undefined && cpu > 0) seen.add(cpu);
      return seen.size >= 2 || undefined;
    },
    30_000,
  );
  return seen;
}
