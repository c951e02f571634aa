/**
 * containers.copyTo (berth cp into a container) with links whose names are not ASCII: archive
 * names are byte strings, and the resolver once looked them up under another name, took the link
 * for missing and let the applier write through it — `café -> /some/host/dir` then an entry
 * `café/pwn.txt` wrote on the host. Now such a link is followed inside the container, as any
 * other. A stopped container (its rootfs mounted for the copy, unmounted after).
 */
import { test, before, after } from 'node:test';
import { Readable } from 'node:stream';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { Box, NONE } from '../cli/container-support.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { makeTar, type TarEntry } from '../helpers/tar.js';
import { EmbeddedEngine } from '../../src/engine/embedded.js';

/** A tar of the given entries, as a stream. */
const tarOf = async (entries: TarEntry[]): Promise<Readable> => Readable.from([await makeTar(entries)]);

let sb: Box;
let engine: EmbeddedEngine;
let outside: string;

before(() => {
  if (NEEDS_ROOT) throw new Error(NEEDS_ROOT);
  sb = new Box('berth-cp-bytes');
  outside = sb.path('outside');
  mkdirSync(outside);
  engine = new EmbeddedEngine({ root: sb.root, runRoot: sb.runRoot });
});

after(async () => {
  await engine?.close();
  sb?.disposeChecked();
});

test('a link named café (to a host directory) or ëtc (to /etc) is followed inside the container; nothing lands on the host', async () => {
  sb.ok(['create', '--name', 'cpb', ...NONE, 'busybox', 'true']);
  const id = sb.id('cpb');
  await engine.containers.copyTo(
    'cpb',
    '/',
    await tarOf([
      { name: 'café', type: 'symlink', linkname: outside },
      { name: 'ëtc', type: 'symlink', linkname: '/etc' },
    ]),
  );
  await engine.containers.copyTo(
    'cpb',
    '/',
    await tarOf([
      { name: 'café/pwn.txt', type: 'file', body: 'pwn\n' },
      { name: 'ëtc/deep.txt', type: 'file', body: 'deep\n' },
    ]),
  );
  assert.deepEqual(readdirSync(outside), [], 'nothing written in the host directory the link names');
  sb.ok(['cp', `cpb:${outside}/pwn.txt`, sb.path('pwn.txt')]);
  assert.equal(readFileSync(sb.path('pwn.txt'), 'utf8'), 'pwn\n');
  sb.ok(['cp', 'cpb:/etc/deep.txt', sb.path('deep.txt')]);
  assert.equal(readFileSync(sb.path('deep.txt'), 'utf8'), 'deep\n');
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(id), 'the rootfs is unmounted after the copies');
  sb.ok(['rm', 'cpb']);
});
