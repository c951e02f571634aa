/** Test helper: the dashboard on a fake engine, a manual clock, and a fixed terminal size. */
import { render } from 'ink-testing-library';
import { Dashboard } from '../../src/screens/Dashboard.js';
import { manualClock } from '../../src/screens/clock.js';
import { FakeEngine, type FakeSeed } from '../fakes/fake-engine.js';
import { stripAnsi } from '../../src/ui/text.js';
import type { TerminalCaps } from '../../src/ui/terminal-caps.js';
import type { DashboardHosts } from '../../src/screens/hosts.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Harness {
  engine: FakeEngine;
  clock: ReturnType<typeof manualClock>;
  /** The last frame without escape codes. */
  frame(): string;
  /** The last frame as written, escape codes included. */
  raw(): string;
  /** Frames written so far (each Ink render writes one in the test renderer). */
  framesCount(): number;
  /** Types keys (each string one keypress) and waits for the frame to settle. */
  press(...keys: string[]): Promise<void>;
  /** A stats tick, then waits. */
  tick(n?: number): Promise<void>;
  settle(ms?: number): Promise<void>;
  /** Polls the frame until `pred` holds (async loading through several renders); fails after `ms`. */
  waitFor(what: string, pred: (frame: string) => boolean, ms?: number): Promise<void>;
  unmount(): void;
  stdin: { write(s: string): void };
}

export const KEY = {
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  down: '\u001B[B',
  up: '\u001B[A',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

export async function renderDashboard(
  opts: { engine?: FakeEngine; seed?: FakeSeed; caps?: TerminalCaps; columns?: number; rows?: number; hosts?: DashboardHosts; initialHost?: string } = {},
): Promise<Harness> {
  const engine = opts.engine ?? new FakeEngine(opts.seed);
  const clock = manualClock();
  const inst = render(
    <Dashboard
      {...(opts.hosts ? { hosts: opts.hosts, initialHost: opts.initialHost } : { engine, engineLabel: 'embedded' })}
      caps={opts.caps ?? { color: true, unicode: true }}
      hostStats={async () => ({ cpuPercent: 12.5, memUsed: 2 * 1024 ** 3, memTotal: 8 * 1024 ** 3 })}
      clock={clock}
      size={{ columns: opts.columns ?? 100, rows: opts.rows ?? 30 }}
    />,
  );
  // A fixed pause, then on until no frame has come for 30 ms (up to 1 s more): on a loaded machine
  // the renders that follow a key or tick arrive late, and a fixed pause alone made tests flaky.
  const settle = async (ms = 40): Promise<void> => {
    await sleep(ms);
    const end = Date.now() + 1000;
    let seen = inst.frames.length;
    while (Date.now() < end) {
      await sleep(30);
      if (inst.frames.length === seen) break;
      seen = inst.frames.length;
    }
  };
  const h: Harness = {
    engine,
    clock,
    frame: () => stripAnsi(inst.lastFrame() ?? ''),
    raw: () => inst.lastFrame() ?? '',
    framesCount: () => inst.frames.length,
    async press(...keys) {
      for (const k of keys) {
        inst.stdin.write(k);
        // A lone ESC is held by Ink's parser until it knows no sequence follows.
        await sleep(k === '\u001B' ? 80 : 15);
      }
      await settle();
    },
    async tick(n = 1) {
      for (let i = 0; i < n; i++) {
        clock.tick();
        await sleep(10);
      }
      await settle();
    },
    settle,
    async waitFor(what, pred, ms = 5000) {
      const end = Date.now() + ms;
      while (!pred(stripAnsi(inst.lastFrame() ?? ''))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the frame:\n${stripAnsi(inst.lastFrame() ?? '')}`);
        await sleep(10);
      }
    },
    unmount: () => inst.unmount(),
    stdin: inst.stdin,
  };
  // The first list arrives through several renders; on a loaded machine that takes longer than any
  // fixed pause, so wait for it (a pane that never loads, e.g. a host that is down, gives up quietly).
  const end = Date.now() + 5000;
  while (/loading…/.test(h.frame()) || h.frame() === '') {
    if (Date.now() > end) break;
    await sleep(10);
  }
  await settle(40);
  return h;
}
