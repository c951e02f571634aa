/** The sampler benchmark runs and cleans up; its figure is reported, not asserted (timings on a
 *  shared machine are noise). `npm run bench` calls benchSampler with the real sizes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { benchSampler, detectCgroups } from '../../src/cgroups/index.js';

describe('cgroups: sampler benchmark', () => {
  it('fixture trees', (t) => {
    for (const kind of ['fixture-v1', 'fixture-v2'] as const) {
      const r = benchSampler({ kind, containers: 20, passes: 20 });
      assert.ok(Number.isFinite(r.perContainerMs) && r.perContainerMs > 0);
      t.diagnostic(`${kind}: ${(r.perContainerMs * 1000).toFixed(1)} µs per container per pass (${r.containers} containers)`);
    }
  });

  it('live cgroups on this host, none left behind', { skip: process.getuid?.() !== 0 && 'needs root' }, (t) => {
    const r = benchSampler({ kind: 'live', containers: 50, passes: 50 });
    t.diagnostic(`live ${r.mode}: ${(r.perContainerMs * 1000).toFixed(1)} µs per container per pass, ${r.perPassMs.toFixed(3)} ms per pass of 50`);
    const l = detectCgroups();
    const roots = l.version === 2 ? [l.root] : l.v1Hierarchies;
    for (const h of roots)
      assert.deepEqual(
        readdirSync(h).filter((n) => n.startsWith('berth-bench-')),
        [],
      );
  });
});
