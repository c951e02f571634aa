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
