/**
 * `system prune` while containers start, in the same state root or another one: it removes
 * crash debris only, never what a start in progress has made. A CI run failed on this: another
 * test file's prune removed a container's new, still empty cgroup between runc's mkdir and its
 * write of the init's pid ("openat2 …/pids/berth/<id>/cgroup.procs: no such file or directory").
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERTH } from '../helpers/berth.js';
import { Box, NONE } from '../cli/container-support.js';
import { cgroupsPathFor, containerDirs, detectCgroups, ensureParent, removeContainerCgroup } from '../../src/cgroups/index.js';
import { processStart } from '../../src/engine/process-alive.js';

let sb: Box;
let other: Box;
before(() => {
  sb = new Box('berth-prune-start');
  other = new Box('berth-prune-other');
});
after(() => {
  sb.disposeChecked();
  other.disposeChecked();
});

const layout = detectCgroups();
const dirsOf = (id: string): string[] => {
  const d = containerDirs(layout, cgroupsPathFor(id));
  return d.version === 2 ? [d.dir] : [...new Set(Object.values(d.byController))];
};
/** An empty cgroup for `id` in every hierarchy, as runc leaves it between its mkdir and the init's join. */
function emptyCgroup(id: string): string[] {
  ensureParent(layout);
  const dirs = dirsOf(id);
  for (const d of dirs) mkdirSync(d, { recursive: true });
  return dirs;
}
const age = (dirs: string[], seconds: number) => {
  const t = Date.now() / 1000 - seconds;
  for (const d of dirs) utimesSync(d, t, t);
};

test("another state root's new, empty cgroup is left alone; an old one is debris", () => {
  const id = randomBytes(32).toString('hex');
  const dirs = emptyCgroup(id);
  try {
    sb.ok(['system', 'prune', '-f']);
    assert.deepEqual(
      dirs.filter((d) => !existsSync(d)),
      [],
      'a cgroup made a moment ago may be a start in progress elsewhere',
    );
    age(dirs, 120);
    assert.match(sb.ok(['system', 'prune', '-f']), /Removed leftovers of interrupted operations: 1 cgroup\(s\)/);
    assert.deepEqual(
      dirs.filter((d) => existsSync(d)),
      [],
    );
  } finally {
    removeContainerCgroup(layout, cgroupsPathFor(id));
  }
});

test('a container of this state root that is being started keeps its cgroup and its row; once the start is over, debris goes', () => {
  const id = sb.ok(['create', ...NONE, 'busybox', 'true']).trim();
  sb.ids.add(id);
  const dirs = emptyCgroup(id);
  age(dirs, 120); // old: only the claim protects it
  // A start in progress, as the starting process claims it (run-token.ts): its pid and start time.
  const claim = join(sb.runRoot, 'exits', `${id}.starting`);
  mkdirSync(join(sb.runRoot, 'exits'), { recursive: true });
  writeFileSync(claim, `${process.pid} ${processStart(process.pid)}`);
  try {
    const out = sb.ok(['system', 'prune', '-f']);
    assert.doesNotMatch(out, /cgroup/, out);
    assert.doesNotMatch(out, new RegExp(id), 'container prune passes over a container being started');
    assert.deepEqual(
      dirs.filter((d) => !existsSync(d)),
      [],
    );
    rmSync(claim);
    const after = sb.ok(['system', 'prune', '-f']);
    assert.match(after, new RegExp(`^${id}$`, 'm'), 'the created container is pruned once no start holds it');
    assert.deepEqual(
      dirs.filter((d) => existsSync(d)),
      [],
    );
  } finally {
    rmSync(claim, { force: true });
    removeContainerCgroup(layout, cgroupsPathFor(id));
  }
});

function berth(box: Box, args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(BERTH, args, { env: box.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    c.on('exit', (code) => resolve({ code, err }));
  });
}

test('runs in one state root while another one prunes again and again: every run succeeds', async () => {
  let pruning = true;
  const prunes = (async () => {
    let n = 0;
    while (pruning) {
      const r = await berth(other, ['system', 'prune', '-f']);
      assert.equal(r.code, 0, r.err);
      n++;
    }
    return n;
  })();
  const failures: string[] = [];
  try {
    for (let i = 0; i < 12; i++) {
      const runs = await Promise.all([0, 1].map(() => berth(sb, ['run', '--rm', ...NONE, 'busybox', 'true'])));
      for (const r of runs) if (r.code !== 0) failures.push(r.err);
    }
  } finally {
    pruning = false;
  }
  const n = await prunes;
  assert.deepEqual(failures, []);
  assert.ok(n > 0);
});
