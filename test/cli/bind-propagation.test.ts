/**
 * Bind propagation (`-v SRC:DST:rshared|rslave`, `--mount bind-propagation=`): mounts made in
 * the container reach the host through a shared bind, the host's reach the container through a
 * slave one, the default (rprivate) keeps both apart, and a source that cannot propagate is
 * refused at start with dockerd's message. The sources are tmpfs mounts the test makes with the
 * propagation it needs, so the host's own (shared under systemd, private here) does not matter.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Box, NONE } from './container-support.js';
import { NEEDS_ROOT } from '../helpers/tools.js';

let sb: Box;
const made: string[] = [];
/** A tmpfs at `dir` with the given propagation; unmounted (with what propagated into it) after. */
function tmpfs(name: string, pg: 'shared' | 'private'): string {
  const dir = sb.path(name);
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', `berth-pg-${name}`, dir]);
  made.push(dir);
  execFileSync('mount', [`--make-${pg}`, dir]);
  return dir;
}
const mountedAt = (path: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === path);

before(() => {
  if (NEEDS_ROOT) return;
  sb = new Box('berth-propagation');
});
after(() => {
  for (const d of made.reverse()) execFileSync('umount', ['-R', d], { stdio: 'ignore' });
  sb?.disposeChecked();
});

test("rshared: a mount made in the container shows on the host; rslave: the host's shows in the container; rprivate: neither", { skip: NEEDS_ROOT }, () => {
  const shared = tmpfs('shared', 'shared');
  const out = sb.run([
    'run',
    '--rm',
    ...NONE,
    '--privileged',
    '-v',
    `${shared}:/mnt:rshared`,
    'busybox',
    'sh',
    '-c',
    'mkdir /mnt/sub && mount -t tmpfs x /mnt/sub && touch /mnt/sub/from-ctr',
  ]);
  assert.equal(out.code, 0, out.stderr);
  assert.ok(mountedAt(`${shared}/sub`), "the container's mount reached the host");
  assert.ok(existsSync(`${shared}/sub/from-ctr`));
  execFileSync('umount', [`${shared}/sub`]);

  const id = sb.runD(['--name', 'slave', ...NONE, '--mount', `type=bind,source=${shared},target=/mnt,bind-propagation=rslave`, 'busybox', 'sleep', '300']);
  sb.runD(['--name', 'private', ...NONE, '-v', `${shared}:/mnt`, 'busybox', 'sleep', '300']);
  const doc = sb.inspect('slave');
  assert.equal(doc.Mounts[0].Propagation, 'rslave');
  assert.deepEqual(doc.HostConfig.Binds, [`${shared}:/mnt:rslave`]);
  assert.equal(sb.inspect('private').Mounts[0].Propagation, 'rprivate');
  mkdirSync(`${shared}/late`);
  execFileSync('mount', ['-t', 'tmpfs', 'late', `${shared}/late`]);
  writeFileSync(`${shared}/late/from-host`, '');
  assert.equal(sb.ok(['exec', 'slave', 'ls', '/mnt/late']).trim(), 'from-host');
  assert.equal(sb.ok(['exec', 'private', 'ls', '/mnt/late']).trim(), '', "rprivate: the host's later mount stays out");
  sb.ok(['rm', '-f', 'slave', 'private']);
  execFileSync('umount', [`${shared}/late`]);
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(id));
});

test("a source that cannot propagate is refused at start with dockerd's message; bad modes at parse", { skip: NEEDS_ROOT }, () => {
  const priv = tmpfs('private', 'private');
  const r = sb.run(['run', '--name', 'nope', ...NONE, '-v', `${priv}:/mnt:rshared`, 'busybox', 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, new RegExp(`path ${priv} is mounted on ${priv} but it is not a shared mount`));
  const s = sb.run(['start', 'nope']);
  assert.notEqual(s.code, 0);
  const slave = sb.run(['run', '--rm', ...NONE, '-v', `${priv}:/mnt:rslave`, 'busybox', 'true']);
  assert.match(slave.stderr, /is not a shared or slave mount/);
  sb.ok(['rm', 'nope']);
  for (const [args, msg] of [
    [['-v', `${priv}:/mnt:rshared,rslave`], /invalid mode: rshared,rslave/],
    [['-v', 'vol:/mnt:rshared'], /invalid mode: rshared/],
    [['--mount', 'type=bind,source=/tmp,target=/mnt,bind-propagation=sideways'], /invalid propagation value: sideways/],
    [['--mount', 'type=volume,target=/mnt,bind-propagation=rshared'], /cannot mix 'bind-\*' options with mount type 'volume'/],
  ] as const) {
    const x = sb.run(['run', '--rm', ...NONE, ...args, 'busybox', 'true']);
    assert.equal(x.code, 125, x.stderr);
    assert.match(x.stderr, msg);
  }
});
