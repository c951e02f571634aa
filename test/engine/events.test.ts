/** The embedded engine's event feed: a change by another connection is reported; polling leaks nothing. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEngine } from '../../src/engine/embedded.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-events-'));
const opts = { root: join(dir, 'root'), runRoot: join(dir, 'run') };
const engine = new EmbeddedEngine(opts);
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a volume made by another engine on the same root arrives as an event; the feed keeps one abort listener', async () => {
  const ac = new AbortController();
  const events = engine.system.events(ac.signal)[Symbol.asyncIterator]();
  const first = events.next();
  // several polls go by with nothing to report
  await new Promise((r) => setTimeout(r, 1200));
  assert.ok(getEventListeners(ac.signal, 'abort').length <= 1, `${getEventListeners(ac.signal, 'abort').length} abort listeners after ~5 polls`);
  const other = new EmbeddedEngine(opts);
  try {
    await other.volumes.create({ name: 'from-elsewhere' });
  } finally {
    await other.close();
  }
  const ev = await Promise.race([first, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no event within 3 s')), 3000))]);
  assert.equal(ev.done, false);
  ac.abort();
  assert.equal((await events.next()).done, true);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});

test("the journal: docker's names and attributes, --since replays, --until ends, filters choose", async () => {
  const t0 = Date.now();
  await engine.volumes.create({ name: 'ev-a', labels: { team: 'x' } });
  await engine.volumes.create({ name: 'ev-b' });
  await engine.volumes.remove('ev-a');
  const t1 = Date.now();
  const collect = async (opts: Parameters<typeof engine.system.events>[1]) => {
    const ac = new AbortController();
    const out: string[] = [];
    const timer = setTimeout(() => ac.abort(), 1500);
    for await (const e of engine.system.events(ac.signal, opts)) out.push(`${e.type} ${e.action} ${e.id}`);
    clearTimeout(timer);
    return out;
  };
  assert.deepEqual(await collect({ since: t0, until: t1 }), ['volume create ev-a', 'volume create ev-b', 'volume destroy ev-a']);
  assert.deepEqual(await collect({ since: t0, until: t1, filters: { event: ['destroy'] } }), ['volume destroy ev-a']);
  assert.deepEqual(await collect({ since: t0, until: t1, filters: { volume: ['ev-b'] } }), ['volume create ev-b']);
  assert.deepEqual(await collect({ since: t0, until: t1, filters: { type: ['container'] } }), []);
  await assert.rejects(collect({ filters: { bogus: ['x'] } }), /Invalid filter 'bogus'/);
});
