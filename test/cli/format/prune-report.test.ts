/**
 * The one prune printer: docker's sections in docker's order, each followed by the blank line
 * docker's Fprintln adds, and the total in units.HumanSize (4 significant digits). The same
 * report through docker and berth on a real daemon: test/docker/cli-oracle.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containersSection, networksSection, reclaimedLine, systemPruneText } from '../../../src/cli/format/prune-report.js';

const empty = { containersDeleted: [], networksDeleted: [], volumesDeleted: [], imagesDeleted: [], buildCacheDeleted: [], spaceReclaimed: 0 };

test('nothing removed: only the total', () => {
  assert.equal(systemPruneText(empty), 'Total reclaimed space: 0B\n');
  assert.equal(containersSection([]) + networksSection([]), '');
});

test("every section, in docker's order, untagged and deleted images as the daemon listed them", () => {
  const text = systemPruneText({
    containersDeleted: ['c1', 'c2'],
    networksDeleted: ['net'],
    volumesDeleted: ['vol'],
    imagesDeleted: [{ untagged: 'app:1' }, { deleted: 'sha256:aa' }, { deleted: 'sha256:bb' }],
    buildCacheDeleted: ['cache1'],
    spaceReclaimed: 1_234_567,
  });
  assert.equal(
    text,
    'Deleted Containers:\nc1\nc2\n\nDeleted Networks:\nnet\n\nDeleted Volumes:\nvol\n\nDeleted Images:\nuntagged: app:1\ndeleted: sha256:aa\ndeleted: sha256:bb\n\n' +
      'Deleted build cache objects:\ncache1\n\nTotal reclaimed space: 1.235MB\n',
  );
});

test("the embedded engine's leftovers come after docker's lines", () => {
  assert.equal(
    systemPruneText({ ...empty, leftovers: '2 monitor(s)' }),
    'Total reclaimed space: 0B\nRemoved leftovers of interrupted operations: 2 monitor(s)\n',
  );
});

test('the total: units.HumanSize', () => {
  assert.equal(reclaimedLine(999), 'Total reclaimed space: 999B\n');
  assert.equal(reclaimedLine(1000), 'Total reclaimed space: 1kB\n');
  assert.equal(reclaimedLine(24), 'Total reclaimed space: 24B\n');
  assert.equal(reclaimedLine(5_432_100_000), 'Total reclaimed space: 5.432GB\n');
});
