/**
 * Shared by the container and volume CLI tests: a sandbox with busybox imported, a record of every
 * container id it made (to look for leftovers after it is gone), the leak check itself, and a
 * pty driver for the interactive commands (python3's pty module: Node has no pty).
 */
import { readFileSync, readdirSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Sandbox, BERTH } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';

export const NONE = ['--net', 'none'];

/** A sandbox with `busybox` imported that remembers the ids of the containers it saw. */
export class Box extends Sandbox {
  readonly ids = new Set<string>();
  constructor(name: string) {
    super(name);
    this.ok(['import', busyboxTarball(), 'busybox']);
  }
  /** Notes every container the state root knows now (call before removing them). */
  note(): void {
    const d = join(this.root, 'containers');
    if (!existsSync(d)) return;
    for (const id of readdirSync(d)) if (/^[a-f0-9]{64}$/.test(id)) this.ids.add(id);
  }
  /** `run -d ... ` → the full id (noted). */
  runD(args: string[]): string {
    const id = this.ok(['run', '-d', ...args])
      .trim()
      .split('\n')
      .pop()!;
    this.ids.add(id);
    return id;
  }
  /** Full id of a container by name. */
  id(name: string): string {
    const id = this.ok(['inspect', '-f', '{{.Id}}', name]).trim();
    this.ids.add(id);
    return id;
  }
  inspect(name: string): Record<string, any> {
    return JSON.parse(this.ok(['inspect', name]))[0];
  }
  /** Disposes the sandbox and throws when anything of it survived. */
  disposeChecked(): void {
    this.note();
    waitForExitCommands(this);
    this.dispose();
    // An exit command that conmon spawned while `system reset` killed its container may open the
    // engine again on the removed root (a known race in reset): let it finish, then remove again.
    for (let i = 0; i < 5; i++) {
      waitForExitCommands(this);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      if (!existsSync(this.dir) && !cleanupProcesses(this).length) break;
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
    // the state root's health monitor ends by itself once its runroot is gone (within a second or two)
    const end = Date.now() + 5000;
    while (leaks(this, []).some((l) => l.startsWith('health monitor')) && Date.now() < end) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    const l = leaks(this, this.ids);
    if (l.length) throw new Error(`left behind:\n${l.join('\n')}`);
  }
}

/** Processes whose command line names the sandbox's state root (conmon's exit commands). */
function cleanupProcesses(sb: Sandbox): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes(sb.root) && cmd.includes('\0cleanup\0')) out.push(Number(p));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Exit commands still running after their container went: let them finish (at most 5 s). */
function waitForExitCommands(sb: Sandbox): void {
  const end = Date.now() + 5000;
  while (cleanupProcesses(sb).length && Date.now() < end) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
}

/** Mounts under the sandbox, conmon processes naming it, cgroups of its containers. */
export function leaks(sb: Sandbox, ids: Iterable<string>): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mp = line.split(' ')[4];
    if (mp && mp.startsWith(sb.dir)) out.push(`mount ${mp}`);
  }
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.split('\0')[0]!.endsWith('conmon') && (cmd.includes(sb.root) || cmd.includes(sb.runRoot))) out.push(`conmon pid ${p}`);
    if (cmd.includes('log-pump') && cmd.includes(sb.root)) out.push(`log writer pid ${p}`);
    if (cmd.includes('health-monitor') && cmd.includes(sb.root)) out.push(`health monitor pid ${p}`);
  }
  const cg = '/sys/fs/cgroup';
  for (const ctrl of readdirSync(cg)) {
    for (const id of ids) {
      const d = join(cg, ctrl, 'berth', id);
      if (existsSync(d)) out.push(`cgroup ${d}`);
    }
  }
  return out;
}

const DRIVER = String.raw`
import os, pty, sys, time, select, json
steps = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return
            if not d:
                return
            out += d
for s in steps:
    if 'wait' in s:
        # wait until the output contains the text (or the time is up)
        end = time.time() + s.get('timeout', 10)
        while s['wait'].encode() not in out and time.time() < end:
            pump(0.05)
    if 'send' in s:
        os.write(fd, s['send'].encode('latin1'))
    if 'sleep' in s:
        pump(s['sleep'])
end = time.time() + 15
code = None
while time.time() < end:
    pump(0.05)
    w, st = os.waitpid(pid, os.WNOHANG)
    if w:
        code = os.waitstatus_to_exitcode(st)
        break
pump(0.1)
if code is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'code': code, 'out': out.decode('utf8', 'replace')}))
`;

export interface PtyStep {
  wait?: string;
  send?: string;
  sleep?: number;
  timeout?: number;
}

/** Runs `berth ARGS` on a fresh pty, playing `steps`; the exit code (null: killed after 15 s) and output. */
export function onPty(sb: Sandbox, args: string[], steps: PtyStep[]): Promise<{ code: number | null; out: string }> {
  const script = sb.path('pty-driver.py');
  if (!existsSync(script)) writeFileSync(script, DRIVER);
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [script, JSON.stringify(steps), BERTH, ...args], { env: sb.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(buf) as { code: number | null; out: string });
      } catch (e) {
        reject(new Error(`pty driver: ${buf} ${(e as Error).message}`));
      }
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns true or `ms` passed. */
export async function until(fn: () => boolean, ms = 10_000, step = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return true;
    await sleep(step);
  }
  return fn();
}
