/** Secrets at rest (issue 8): berth's state root and runtime root are root's alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from '../helpers/berth.js';

test('the state root and runroot are 0700 and the database is not world-readable', () => {
  const sb = new Sandbox('berth-perm');
  try {
    sb.ok(['images']);
    assert.equal(statSync(sb.root).mode & 0o777, 0o700);
    assert.equal(statSync(sb.runRoot).mode & 0o777, 0o700);
    for (const f of readdirSync(sb.root).filter((n) => n.startsWith('berth.db'))) {
      assert.equal(statSync(join(sb.root, f)).mode & 0o007, 0, `${f} is world-accessible`);
    }
  } finally {
    sb.dispose();
  }
});
