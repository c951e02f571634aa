/**
 * docker's prune filters as the engine reads them (engine/prune-filter.ts): the keys each kind
 * accepts, `until` in docker's forms (duration, RFC 3339, unix seconds), `label` / `label!` with
 * docker's MatchKVList semantics, and the daemon's words for what it refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../src/engine/index.js';
import { boolPruneFilter, CONTAINER_PRUNE_FILTERS, pruneFilter, VOLUME_PRUNE_FILTERS } from '../../src/engine/prune-filter.js';

const refused = (message: string) => (e: unknown) => e instanceof EngineError && e.kind === 'invalid' && e.message === message;

test('until: a duration back from now, an RFC 3339 time or unix seconds; what was created after it stays', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const f = pruneFilter({ until: ['1h'] }, CONTAINER_PRUNE_FILTERS, now);
  assert.ok(f.matches('2026-12-06T10:59:59Z', {}));
  assert.ok(f.matches('2026-12-06T11:00:00Z', {}), 'created exactly at until is pruned (docker: After(until) stays)');
  assert.ok(!f.matches('2026-12-06T11:30:00Z', {}));
  const t = pruneFilter({ until: ['2026-12-06T11:00:00Z'] }, CONTAINER_PRUNE_FILTERS, now);
  assert.ok(t.matches('2026-12-06T10:00:00Z', {}) && !t.matches('2026-12-06T11:00:01Z', {}));
  const u = pruneFilter({ until: [String(Date.parse('2026-12-06T11:00:00Z') / 1000)] }, CONTAINER_PRUNE_FILTERS, now);
  assert.ok(u.matches('2026-12-06T10:00:00Z', {}) && !u.matches('2026-12-06T11:00:01Z', {}));
  assert.throws(() => pruneFilter({ until: ['soon'] }, CONTAINER_PRUNE_FILTERS), refused('failed to parse value as time or duration: "soon"'));
  assert.throws(() => pruneFilter({ until: ['1h', '2h'] }, CONTAINER_PRUNE_FILTERS), refused('more than one until filter specified'));
});

test('label and label!: docker MatchKVList, keys each kind accepts, booleans', () => {
  const labels = { env: 'prod', tier: 'web' };
  const m = (f: Record<string, string[]>, l: Record<string, string> | undefined = labels) =>
    pruneFilter(f, CONTAINER_PRUNE_FILTERS).matches('2020-01-01T00:00:00Z', l);
  assert.ok(m({ label: ['env'] }));
  assert.ok(m({ label: ['env=prod', 'tier'] }));
  assert.ok(!m({ label: ['env=dev'] }));
  assert.ok(!m({ label: ['env'] }, {}), 'no labels: a label filter does not match');
  assert.ok(!m({ 'label!': ['env'] }));
  assert.ok(m({ 'label!': ['env=dev'] }));
  // label! with several values excludes only what has all of them (docker's MatchKVList)
  assert.ok(m({ 'label!': ['env', 'other'] }));
  assert.ok(!m({ 'label!': ['env', 'tier=web'] }));
  assert.ok(m({}, undefined));
  assert.throws(() => pruneFilter({ until: ['1h'] }, VOLUME_PRUNE_FILTERS), refused("Invalid filter 'until'"));
  assert.throws(() => pruneFilter({ colour: ['red'] }, CONTAINER_PRUNE_FILTERS), refused("Invalid filter 'colour'"));
  assert.equal(boolPruneFilter({ dangling: ['false'] }, 'dangling'), false);
  assert.equal(boolPruneFilter({ all: ['1'] }, 'all'), true);
  assert.equal(boolPruneFilter({}, 'all'), undefined);
  assert.throws(() => boolPruneFilter({ dangling: ['maybe'] }, 'dangling'), refused("Invalid filter 'dangling=[maybe]'"));
});
