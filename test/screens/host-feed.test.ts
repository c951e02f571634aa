/**
 * One host's lists and events (HostFeed): the events stream is reopened when it ends or fails,
 * the lists are reloaded then (events may have been missed), a failure is reported, and a list
 * that hangs counts as a failure instead of leaving the screen loading forever.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, EngineEvent } from '../../src/engine/api.js';
import { HostFeed } from '../../src/screens/host-feed.js';
import { FakeEngine } from '../fakes/fake-engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The fake engine, with its events stream replaced by `events` and its list calls counted. */
function withEvents(e: FakeEngine, events: (signal: AbortSignal, n: number) => AsyncIterable<EngineEvent>): { engine: Engine; lists: () => number } {
  let lists = 0;
  let opened = 0;
  const containers = Object.create(e.containers) as Engine['containers'];
  containers.list = (o) => (lists++, e.containers.list(o));
  const system = Object.create(e.system) as Engine['system'];
  system.events = (signal) => events(signal, opened++);
  const engine = Object.create(e) as Engine;
  Object.defineProperty(engine, 'containers', { value: containers });
  Object.defineProperty(engine, 'system', { value: system });
  return { engine, lists: () => lists };
}

test('a stream that ends (daemon restart) is reopened and the lists reloaded, without a failure report', async () => {
  const fake = new FakeEngine();
  const { engine, lists } = withEvents(fake, (signal, n) =>
    n === 0
      ? (async function* () {})() // ends at once, as a daemon's /events does when it restarts
      : fake.hub.stream(signal),
  );
  const fails: string[] = [];
  const feed = new HostFeed('h', engine, { onChange: () => undefined, onFail: (e) => fails.push(e), backoffMs: { min: 20, max: 40 } });
  try {
    feed.start();
    await until('the stream to be reopened', () => feed.eventStreams >= 2);
    await until('a reload after reopening', () => lists() >= 2);
    assert.deepEqual(fails, []);
    // The reopened stream works: a change elsewhere shows up.
    await fake.containers.stop('db');
    await until('db shown exited', () => feed.lists.containers.find((c) => c.names[0] === 'db')?.state === 'exited');
    assert.equal(feed.lists.containers[0]?.host, 'h');
  } finally {
    feed.dispose();
  }
});

test('a stream that fails is reported, retried with back-off, and stops when disposed', async () => {
  const fake = new FakeEngine();
  const { engine } = withEvents(fake, () =>
    (async function* (): AsyncGenerator<EngineEvent> {
      throw new Error('connection reset');
    })(),
  );
  const fails: string[] = [];
  const feed = new HostFeed('h', engine, { onChange: () => undefined, onFail: (e) => fails.push(e), backoffMs: { min: 20, max: 40 } });
  feed.start();
  await until('three attempts', () => feed.eventStreams >= 3);
  assert.ok(
    fails.every((f) => f === 'events: connection reset'),
    fails.join('\n'),
  );
  assert.ok(fails.length >= 2);
  feed.dispose();
  const after = feed.eventStreams;
  await sleep(120);
  assert.equal(feed.eventStreams, after, 'no more attempts once disposed');
});

test('a list that does not answer in time is a failure, not an endless "loading"', async () => {
  const fake = new FakeEngine();
  const { engine } = withEvents(fake, (signal) => fake.hub.stream(signal));
  (engine.containers as { list: Engine['containers']['list'] }).list = () => new Promise(() => undefined);
  const fails: string[] = [];
  let changes = 0;
  const feed = new HostFeed('h', engine, { onChange: () => changes++, onFail: (e) => fails.push(e), timeoutMs: 50 });
  try {
    feed.start();
    await until('the timeout', () => fails.length > 0);
    assert.match(fails[0]!, /no answer in 0.05 s/);
    assert.equal(feed.lists.loaded, true);
    assert.match(feed.lists.error ?? '', /no answer/);
    assert.ok(changes > 0);
  } finally {
    feed.dispose();
  }
});
