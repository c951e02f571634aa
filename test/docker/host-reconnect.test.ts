/**
 * A daemon that goes away and comes back (issue 7), with a real dockerd stopped by its PID and
 * started again on the same socket: the host pool marks it down with the reason, retries with a
 * growing wait, and marks it up again by itself; a host feed's events stream (the dashboard's
 * lists) is reopened after the restart and follows the new daemon's events.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HostPool, type HostStatus } from '../../src/engine/hosts/host-pool.js';
import { DockerEngine } from '../../src/engine/docker/engine.js';
import { HostFeed } from '../../src/screens/host-feed.js';
import { TestDockerd } from './dockerd.js';
import { NEEDS_ROOT } from '../helpers/tools.js';

const skip = NEEDS_ROOT;
let d: TestDockerd;

before(async () => {
  if (skip) return;
  d = new TestDockerd('berth-drecon');
  await d.start();
  await d.importBusybox();
});
after(async () => {
  if (d) await d.stop();
});

async function until(what: string, pred: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the pool marks a stopped daemon down, backs off, and reconnects by itself', { skip }, async () => {
  const pool = new HostPool([{ name: 'dk', host: d.host }], { timeoutMs: 2000, probeMs: 300, backoffMs: { min: 200, max: 800 } });
  const seen: HostStatus[] = [];
  pool.onChange(() => seen.push(pool.statuses()[0]!));
  const now = () => pool.statuses()[0]!;
  try {
    pool.start();
    await until('up', () => now().state === 'up');
    await d.halt();
    await until('down', () => now().state === 'down');
    assert.match(now().error ?? '', /Cannot connect to the Docker daemon|daemon running/);
    // Let it fail a few times: each retry waits longer, up to the cap.
    await until('four failed attempts', () => seen.filter((s) => s.state === 'down').length >= 4, 30_000);
    const downs = seen.filter((s) => s.state === 'down');
    const gaps = downs.slice(1).map((s, i) => s.retryAt! - downs[i]!.retryAt!);
    assert.ok(gaps.length >= 3, JSON.stringify(downs));
    // Each later attempt is scheduled no sooner after the previous one than the one before.
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i]! >= gaps[i - 1]! - 50, `waits shrink: ${gaps.join(', ')}`);
    await d.start();
    await until('up again without being asked', () => now().state === 'up');
    assert.equal(now().error, undefined);
    // The engine works again through the same pool.
    assert.ok(Array.isArray(await (await pool.engine('dk')).containers.list({ all: true })));
  } finally {
    await pool.close();
  }
});

test('a host feed follows events again after the daemon restarted', { skip }, async () => {
  const engine = new DockerEngine({ host: d.host });
  const fails: string[] = [];
  const feed = new HostFeed('dk', engine, { onChange: () => undefined, onFail: (e) => fails.push(e), backoffMs: { min: 200, max: 400 } });
  try {
    feed.start();
    await until('loaded', () => feed.lists.loaded && !feed.lists.error);
    const streams = feed.eventStreams;
    await d.halt();
    await until('the stream to be retried', () => feed.eventStreams >= streams + 2, 30_000);
    await d.start();
    // A stream on the new daemon: the old one died with the daemon, so an attempt that stays
    // open is on the new one. A failing attempt is retried within the 400 ms backoff, so no new
    // attempt for 1.5 s means the one open now is connected. (Waiting for one more attempt after
    // start() returned raced: the feed may connect before start() sees the API answer.)
    let attempts = -1;
    let since = Date.now();
    await until(
      'a stream on the new daemon',
      () => {
        if (feed.eventStreams !== attempts) [attempts, since] = [feed.eventStreams, Date.now()];
        return !feed.lists.error && Date.now() - since > 1500;
      },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500)); // the reload after reopening has finished
    const { id } = await engine.containers.create({ image: 'busybox', name: 'after-restart', cmd: ['sh', '-c', "trap 'exit 0' TERM; sleep 600 & wait"] });
    await engine.containers.start(id);
    await until('the new container listed running', () => feed.lists.containers.some((c) => c.id === id && c.state === 'running'));
    // Only an event can tell the feed about this stop: no reload is due.
    await engine.containers.stop(id, { timeout: 5 });
    await until('the stop seen through the events stream', () => feed.lists.containers.some((c) => c.id === id && c.state === 'exited'));
    assert.equal(feed.lists.containers.find((c) => c.id === id)?.host, 'dk');
    await engine.containers.remove(id);
  } finally {
    feed.dispose();
    await engine.close();
  }
});
