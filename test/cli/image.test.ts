/** Image commands against a real store: import, images, tag, inspect, history, save, rmi, load, prune. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, copyFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { Sandbox } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { requireTool } from '../helpers/tools.js';

let sb: Sandbox;
before(() => {
  sb = new Sandbox('berth-image');
});
after(() => sb.dispose());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('import makes a one-layer image that images/inspect/history show', () => {
  const id = sb.ok(['import', busyboxTarball(), 'busybox']).trim();
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  const out = sb.ok(['images']);
  const [header, row] = out.trim().split('\n');
  assert.match(header!, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  assert.match(row!, new RegExp(`^busybox\\s+latest\\s+${id.slice(7, 19)}\\s+.+ago\\s+\\d`));
  assert.equal(sb.ok(['images', '-q']).trim(), id.slice(7, 19));
  const doc = JSON.parse(sb.ok(['inspect', 'busybox']))[0];
  assert.equal(doc.Id, id);
  assert.deepEqual(doc.RepoTags, ['busybox:latest']);
  assert.equal(doc.RootFS.Layers.length, 1);
  assert.equal(doc.Os, 'linux');
  // the layer's diff id is the sha256 of the uncompressed tar
  assert.equal(doc.RootFS.Layers[0], `sha256:${sha(readFileSync(busyboxTarball()))}`);
  const hist = sb.ok(['history', 'busybox']);
  assert.match(hist, /Imported from -/);
  assert.equal(sb.ok(['image', 'inspect', '-f', '{{.Os}}/{{.Architecture}}', 'busybox']).trim(), `linux/${doc.Architecture}`);
  const json = sb
    .ok(['images', '--format', 'json'])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(json[0].Repository, 'busybox');
  assert.equal(json[0].Tag, 'latest');
});

test('import from stdin, gzip, and with -c changes', () => {
  const gz = gzipSync(readFileSync(busyboxTarball()));
  const id = sb.ok(['import', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV A=1 B="two words"', '-m', 'hello', '-', 'bb-gz:1'], { input: gz }).trim();
  const doc = JSON.parse(sb.ok(['image', 'inspect', id]))[0];
  assert.deepEqual(doc.Config.Cmd, ['/bin/sh']);
  assert.deepEqual(doc.Config.Env, ['A=1', 'B=two words']);
  assert.equal(doc.Comment, 'hello');
  // the same content imported twice shares one unpacked layer
  const layers = readdirSync(join(sb.root, 'layers'));
  assert.equal(layers.length, 1);
});

test('tag, rmi by name and id, docker semantics', () => {
  sb.ok(['tag', 'busybox', 'localhost:5000/bb:v1']);
  const tags = sb.ok(['images', '--format', '{{.Repository}}:{{.Tag}}']).trim().split('\n').sort();
  assert.ok(tags.includes('localhost:5000/bb:v1'));
  const idShort = sb.ok(['images', '-q', 'busybox']).trim();
  const r = sb.run(['rmi', idShort]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /referenced in multiple repositories/);
  assert.equal(sb.ok(['rmi', 'localhost:5000/bb:v1']).trim(), 'Untagged: localhost:5000/bb:v1');
  const miss = sb.run(['tag', 'nosuch', 'x']);
  assert.equal(miss.code, 1);
  assert.equal(miss.stderr.trim(), 'Error: No such image: nosuch');
  const badRef = sb.run(['tag', 'busybox', 'Bad/Name']);
  assert.notEqual(badRef.code, 0);
  assert.match(badRef.stderr, /invalid reference format/);
});

test('save writes a docker-archive that load reads back, byte-identical image', () => {
  const id = sb.ok(['inspect', '-f', '{{.Id}}', 'busybox']).trim();
  const file = sb.path('bb.tar');
  sb.ok(['save', '-o', file, 'busybox']);
  const names = execFileSync('tar', ['tf', file], { encoding: 'utf8' }).split('\n');
  for (const n of ['manifest.json', 'index.json', 'oci-layout', 'repositories', `blobs/sha256/${id.slice(7)}`]) assert.ok(names.includes(n), n);
  const other = new Sandbox('berth-image-load');
  try {
    const out = other.ok(['load', '-i', file]);
    assert.equal(out.trim(), 'Loaded image: busybox:latest');
    assert.equal(other.ok(['inspect', '-f', '{{.Id}}', 'busybox']).trim(), id);
    // and from stdin
    const again = other.ok(['load'], { input: readFileSync(file) });
    assert.match(again, /Loaded image: busybox:latest/);
  } finally {
    other.dispose();
  }
});

test('load reads the legacy layout docker 20.10 `docker save` writes', () => {
  const dir = sb.path('legacy');
  const layerTar = readFileSync(busyboxTarball());
  const diffId = `sha256:${sha(layerTar)}`;
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created: '2024-01-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:x in / ' }],
    }),
  );
  const cfgHex = sha(config);
  const layerDir = 'a'.repeat(64);
  mkdirSync(join(dir, layerDir), { recursive: true });
  copyFileSync(busyboxTarball(), join(dir, layerDir, 'layer.tar'));
  writeFileSync(join(dir, layerDir, 'VERSION'), '1.0');
  writeFileSync(join(dir, layerDir, 'json'), '{}');
  writeFileSync(join(dir, `${cfgHex}.json`), config);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: `${cfgHex}.json`, RepoTags: ['legacy/app:1.0'], Layers: [`${layerDir}/layer.tar`] }]));
  writeFileSync(join(dir, 'repositories'), JSON.stringify({ 'legacy/app': { '1.0': layerDir } }));
  const file = sb.path('legacy.tar');
  execFileSync('tar', ['-C', dir, '-cf', file, '.']);
  assert.equal(sb.ok(['load', '-i', file]).trim(), 'Loaded image: legacy/app:1.0');
  assert.equal(sb.ok(['inspect', '-f', '{{.Id}}', 'legacy/app:1.0']).trim(), `sha256:${cfgHex}`);
  // and what `docker save` wrote runs: its CMD (sh) and a command given
  assert.equal(sb.ok(['run', '--rm', '--net', 'none', 'legacy/app:1.0', 'sh', '-c', 'echo loaded and running']).trim(), 'loaded and running');
  // a config that does not match its name is refused, nothing stored
  writeFileSync(join(dir, `${cfgHex}.json`), Buffer.concat([config, Buffer.from(' ')]));
  execFileSync('tar', ['-C', dir, '-cf', file, '.']);
  const r = sb.run(['load', '-i', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /does not match its digest/);
});

test('save output is read by skopeo', () => {
  requireTool(['/usr/bin/skopeo'], 'skopeo');
  const file = sb.path('bb-skopeo.tar');
  sb.ok(['save', '-o', file, 'busybox']);
  const r = spawnSync('skopeo', ['inspect', '--raw', `docker-archive:${file}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const oci = spawnSync('skopeo', ['copy', `oci-archive:${file}`, `dir:${sb.path('skopeo-dir')}`], { encoding: 'utf8' });
  // skopeo reads the same archive as an OCI layout through index.json
  assert.equal(oci.status, 0, oci.stderr);
});

test('image prune removes dangling images only, -a all unused', () => {
  sb.ok(['tag', 'busybox', 'keep:me']);
  const danglingId = sb.ok(['import', '-m', 'dangling', busyboxTarball()]).trim();
  const out = sb.ok(['image', 'prune', '-f']);
  assert.match(out, new RegExp(`deleted: ${danglingId}`));
  assert.match(out, /Total reclaimed space: /);
  assert.ok(sb.ok(['images', '-q']).trim().length > 0);
  sb.ok(['image', 'prune', '-a', '-f']);
  assert.equal(sb.ok(['images', '-q']).trim(), '');
  assert.deepEqual(readdirSync(join(sb.root, 'layers')), []);
  assert.deepEqual(readdirSync(join(sb.root, 'blobs/sha256')), []);
});

test('bad input: one line on stderr, non-zero exit', () => {
  for (const [args, re] of [
    [['rmi', 'nosuch'], /^Error: No such image: nosuch$/],
    [['import', '/no/such/file'], /no such file or directory/],
    [['images', '--bogus'], /^berth: unknown flag: --bogus$/],
    [['inspect', 'nothing-here'], /^Error: No such object: nothing-here$/],
    [['nosuchcmd'], /'nosuchcmd' is not a berth command/],
    [['save', '-o', sb.path('x.tar'), 'nosuch'], /No such image/],
  ] as [string[], RegExp][]) {
    const r = sb.run(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr.trim().split('\n')[0]!, re, args.join(' '));
  }
  assert.equal(existsSync(sb.path('x.tar')), false);
});

test('--help on every registered command', async () => {
  const { COMMANDS } = await import('../../src/cli/registry.js');
  for (const name of Object.keys(COMMANDS)) {
    const r = sb.run([...name.split(' '), '--help']);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, /Usage: berth/, name);
  }
  assert.match(sb.ok(['--help']), /Images Commands:/);
  assert.match(sb.ok(['version']), /Client:/);
  assert.match(sb.ok(['info']), /Storage Driver: overlay/);
});
