/**
 * The image routes driven by the real docker CLI 20.10 and docker-py through `berth system
 * service`: import, images (filters), inspect, history, tag, push and pull against a local
 * registry with credentials sent as X-Registry-Auth, pull progress (docker-py), save/load,
 * commit (CLI and a config body), rmi (conflicts, force), prune, and docker's errors.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { WebServer } from '../helpers/web-server.js';
import { join } from 'node:path';
import { Sandbox } from '../helpers/berth.js';
import { Service } from '../helpers/service.js';
import { LocalRegistry } from '../helpers/registry.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { api, docker, dockerOk, dockerPy, storeLogin } from './images-clients.js';

const skip = NEEDS_ROOT;
let sb: Sandbox;
let svc: Service;
let registry: LocalRegistry;
let plain: LocalRegistry;
const USER = 'tester';
const PASS = 's3cret-pass';

before(async () => {
  if (skip) return;
  sb = new Sandbox('berth-api-img');
  svc = await new Service(sb).start();
  registry = await LocalRegistry.start({ htpasswd: { [USER]: PASS } });
  plain = await LocalRegistry.start();
  const out = dockerOk(svc, ['import', '--change', 'LABEL origin=fixture', busyboxTarball(), 'busybox:latest']);
  assert.match(out.trim(), /^sha256:[0-9a-f]{64}$/);
});

after(async () => {
  if (skip) return;
  await svc?.stop();
  await registry?.stop();
  await plain?.stop();
  sb?.dispose();
});

const ids = (args: string[]) =>
  dockerOk(svc, ['images', '-q', '--no-trunc', ...args])
    .trim()
    .split('\n')
    .filter(Boolean);

test("images lists what import made, with docker's filters in both JSON shapes", { skip }, async () => {
  const rows = dockerOk(svc, ['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
  assert.match(rows, /^busybox:latest [0-9a-f]{12}$/m);
  const bb = dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'busybox']).trim();
  assert.deepEqual(ids(['--filter', 'label=origin=fixture']), [bb]);
  assert.deepEqual(ids(['--filter', 'label=origin=other']), []);
  assert.deepEqual(ids(['--filter', 'reference=busy*']), [bb]);
  assert.deepEqual(ids(['--filter', 'dangling=true']), []);
  // docker-py sends {"k":["v"]}, the Go CLI {"k":{"v":true}}: both
  const py = await api(svc, 'GET', `/v1.41/images/json?filters=${encodeURIComponent(JSON.stringify({ label: ['origin=fixture'] }))}`);
  assert.equal(py.status, 200);
  assert.deepEqual(
    py.json().map((i: { Id: string }) => i.Id),
    [bb],
  );
  const row = py.json()[0];
  assert.deepEqual(row.RepoTags, ['busybox:latest']);
  assert.equal(typeof row.Created, 'number');
  assert.ok(row.Size > 1_000_000);
  // since/before compare creation times against the named image
  dockerOk(svc, ['import', busyboxTarball(), 'later:1']);
  const later = dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'later:1']).trim();
  if (later !== bb) {
    assert.ok(ids(['--filter', 'since=busybox']).includes(later));
    assert.ok(!ids(['--filter', 'before=busybox']).includes(later));
  }
  dockerOk(svc, ['rmi', 'later:1']);
  const bad = await api(svc, 'GET', `/images/json?filters=${encodeURIComponent('{"bogus":["x"]}')}`);
  assert.equal(bad.status, 400);
  assert.match(bad.json().message, /^Invalid filter 'bogus'$/);
  const malformed = await api(svc, 'GET', '/images/json?filters=%7Bnot-json');
  assert.equal(malformed.status, 400);
});

test("inspect, history and tag; unknown images are 404 with docker's words", { skip }, async () => {
  const doc = JSON.parse(dockerOk(svc, ['image', 'inspect', 'busybox']))[0];
  assert.deepEqual(doc.RepoTags, ['busybox:latest']);
  assert.equal(doc.Config.Labels.origin, 'fixture');
  assert.equal(doc.RootFS.Type, 'layers');
  const hist = dockerOk(svc, ['history', '--format', '{{.ID}}|{{.Size}}', 'busybox']).trim().split('\n');
  assert.equal(hist.length, 1);
  dockerOk(svc, ['tag', 'busybox', 'example.org/team/bb:v1']);
  const tagged = JSON.parse(dockerOk(svc, ['image', 'inspect', 'example.org/team/bb:v1']))[0];
  assert.equal(tagged.Id, doc.Id);
  // a name with slashes and a registry port reaches the {name*} routes
  const r = await api(svc, 'GET', `/images/${'example.org/team/bb:v1'}/json`);
  assert.equal(r.status, 200);
  const gone = docker(svc, ['image', 'inspect', 'nosuch:image']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /No such image: nosuch:image/);
  const api404 = await api(svc, 'GET', '/images/nosuch:image/json');
  assert.equal(api404.status, 404);
  dockerOk(svc, ['rmi', 'example.org/team/bb:v1']);
});

test('push and pull against a registry with credentials sent as X-Registry-Auth', { skip }, async () => {
  const ref = `${registry.host}/api/bb:1`;
  dockerOk(svc, ['tag', 'busybox', ref]);
  // without credentials: the registry's refusal, as an error
  const denied = docker(svc, ['push', ref]);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr + denied.stdout, /unauthorized|authentication required/i);
  storeLogin(svc, registry.host, USER, PASS);
  const pushed = dockerOk(svc, ['push', ref]);
  assert.match(pushed, new RegExp(`The push refers to repository \\[${registry.host}/api/bb\\]`));
  assert.match(pushed, /Pushed/);
  assert.match(pushed, /1: digest: sha256:[0-9a-f]{64} size: \d+/);
  assert.ok(registry.count('PUT', '/v2/api/bb/manifests/1') >= 1);
  dockerOk(svc, ['rmi', ref]);
  const pulled = dockerOk(svc, ['pull', ref]);
  assert.match(pulled, /Pulling from api\/bb/);
  assert.match(pulled, /Digest: sha256:[0-9a-f]{64}/);
  assert.match(pulled, new RegExp(`Status: Downloaded newer image for ${registry.host}/api/bb:1`));
  assert.match(pulled, new RegExp(`^${registry.host}/api/bb:1$`, 'm'));
  const again = dockerOk(svc, ['pull', ref]);
  assert.match(again, new RegExp(`Status: Image is up to date for ${registry.host}/api/bb:1`));
  // an unknown tag: docker's error before any progress, exit 1
  const missing = docker(svc, ['pull', `${registry.host}/api/bb:nope`]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error response from daemon: .*(not found|unknown)/i);
  dockerOk(svc, ['rmi', ref]);
});

test("docker-py pull streams docker's progress messages per layer", { skip }, async () => {
  const ref = `${registry.host}/api/bb`;
  // a layer of its own (busybox's is in the store already), so the pull downloads something
  sb.ok(['create', '--name', 'uniq', 'busybox', 'sh', '-c', `head -c 300000 /dev/urandom > /noise`]);
  sb.ok(['start', '-a', 'uniq']);
  dockerOk(svc, ['commit', 'uniq', `${ref}:py`]);
  sb.ok(['rm', 'uniq']);
  storeLogin(svc, registry.host, USER, PASS);
  dockerOk(svc, ['push', `${ref}:py`]);
  dockerOk(svc, ['rmi', `${ref}:py`]);
  const events = dockerPy<Record<string, any>[]>(
    svc,
    `out = list(client.api.pull(${JSON.stringify(ref)}, tag='py', stream=True, decode=True, auth_config={'username': ${JSON.stringify(USER)}, 'password': ${JSON.stringify(PASS)}}))\nprint(json.dumps(out))`,
    { DOCKER_CONFIG: join(sb.dir, 'no-docker-config') },
  );
  assert.deepEqual(events[0], { status: 'Pulling from api/bb', id: 'py' });
  assert.ok(
    events.some((e) => e.status === 'Already exists'),
    'the busybox layer is known',
  );
  const layer = events.find((e) => e.status === 'Pulling fs layer');
  assert.ok(layer, `no layer pulled in ${JSON.stringify(events)}`);
  assert.match(layer.id, /^[0-9a-f]{12}$/);
  assert.deepEqual(layer.progressDetail, {});
  const dl = events.find((e) => e.id === layer.id && e.status === 'Downloading');
  assert.ok(dl, `no Downloading event in ${JSON.stringify(events)}`);
  assert.equal(typeof dl.progressDetail.current, 'number');
  assert.ok(dl.progressDetail.total > 0);
  assert.match(dl.progress, /^\[[=> ]+\]\s+\S+\/\S+$/);
  assert.equal(events.filter((e) => e.id === layer.id).at(-1)!.status, 'Pull complete');
  assert.ok(events.some((e) => /^Digest: sha256:[0-9a-f]{64}$/.test(e.status)));
  assert.equal(events.at(-1)!.status, `Status: Downloaded newer image for ${ref}:py`);
  dockerOk(svc, ['rmi', `${ref}:py`]);
});

test('save and load round-trip through the API (docker save/load, /images/get?names=)', { skip }, async () => {
  dockerOk(svc, ['tag', 'busybox', 'roundtrip:1']);
  const id = dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'roundtrip:1']).trim();
  const file = sb.path('rt.tar');
  dockerOk(svc, ['save', '-o', file, 'roundtrip:1']);
  assert.ok(statSync(file).size > 1_000_000);
  dockerOk(svc, ['rmi', 'roundtrip:1']);
  const loaded = dockerOk(svc, ['load', '-i', file]);
  assert.match(loaded, /^Loaded image: roundtrip:1$/m);
  assert.equal(dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'roundtrip:1']).trim(), id);
  const quiet = dockerOk(svc, ['load', '-q', '-i', file]);
  assert.match(quiet, /Loaded image: roundtrip:1/);
  const multi = await api(svc, 'GET', '/images/get?names=roundtrip:1&names=busybox');
  assert.equal(multi.status, 200);
  assert.equal(multi.headers['content-type'], 'application/x-tar');
  assert.ok(multi.body.includes(Buffer.from('manifest.json')));
  // a bad archive: 200 and the error in the stream, as dockerd; the docker CLI fails with it
  const bad = await api(svc, 'POST', '/images/load', Buffer.from('abc'));
  assert.equal(bad.status, 200);
  assert.match(JSON.parse(bad.body.toString().trim().split('\n').at(-1)!).errorDetail.message, /./);
  writeFileSync(sb.path('bad.tar'), 'abc');
  const cli = docker(svc, ['load', '-i', sb.path('bad.tar')]);
  assert.equal(cli.code, 1);
  const unknown = await api(svc, 'GET', '/images/get?names=nosuch:1');
  assert.equal(unknown.status, 404);
  dockerOk(svc, ['rmi', 'roundtrip:1']);
});

test("commit: the CLI's changes and author, and a config body", { skip }, async () => {
  sb.ok(['create', '--name', 'tocommit', 'busybox', 'sh', '-c', 'echo made > /made']);
  sb.ok(['start', '-a', 'tocommit']);
  const id = dockerOk(svc, [
    'commit',
    '-a',
    'Ada <ada@example.org>',
    '-m',
    'from the api',
    '-c',
    'ENV MODE=committed',
    '-c',
    'CMD ["cat","/made"]',
    'tocommit',
    'committed:1',
  ]).trim();
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  const doc = JSON.parse(dockerOk(svc, ['image', 'inspect', 'committed:1']))[0];
  assert.equal(doc.Author, 'Ada <ada@example.org>');
  assert.equal(doc.Comment, 'from the api');
  assert.ok(doc.Config.Env.includes('MODE=committed'));
  assert.deepEqual(doc.Config.Cmd, ['cat', '/made']);
  assert.equal(sb.ok(['run', '--rm', 'committed:1']).trim(), 'made');
  const r = await api(svc, 'POST', '/v1.41/commit?container=tocommit&repo=committed&tag=2&pause=0', {
    Cmd: ['echo', 'body'],
    Labels: { from: 'body' },
    ExposedPorts: { '8080/tcp': {} },
  });
  assert.equal(r.status, 201, r.body.toString());
  const doc2 = JSON.parse(dockerOk(svc, ['image', 'inspect', 'committed:2']))[0];
  assert.equal(r.json().Id, doc2.Id);
  assert.deepEqual(doc2.Config.Cmd, ['echo', 'body']);
  assert.equal(doc2.Config.Labels.from, 'body');
  assert.ok('8080/tcp' in doc2.Config.ExposedPorts);
  const nosuch = await api(svc, 'POST', '/commit?container=nosuch', {});
  assert.equal(nosuch.status, 404);
  sb.ok(['rm', 'tocommit']);
  dockerOk(svc, ['rmi', 'committed:1', 'committed:2']);
});

test('rmi reports Untagged/Deleted, refuses an image in use (409) unless forced', { skip }, async () => {
  dockerOk(svc, ['tag', 'busybox', 'inuse:1']);
  dockerOk(svc, ['tag', 'busybox', 'inuse:2']);
  const untag = dockerOk(svc, ['rmi', 'inuse:2']);
  assert.equal(untag.trim(), 'Untagged: inuse:2');
  dockerOk(svc, ['import', busyboxTarball(), 'solo:1']);
  sb.ok(['create', '--name', 'user1', 'solo:1', 'true']);
  const refused = docker(svc, ['rmi', 'solo:1']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /conflict: unable to remove repository reference "solo:1" \(must force\) - container is using its referenced image/);
  const viaApi = await api(svc, 'DELETE', '/images/solo:1');
  assert.equal(viaApi.status, 409);
  const forced = await api(svc, 'DELETE', '/images/solo:1?force=1');
  assert.equal(forced.status, 200);
  assert.deepEqual(forced.json(), [{ Untagged: 'solo:1' }]);
  sb.ok(['rm', 'user1']);
  const missing = docker(svc, ['rmi', 'nosuch:1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such image: nosuch:1/);
  dockerOk(svc, ['rmi', 'inuse:1']);
});

test("image prune: dangling by default, -a with a label filter, docker's report", { skip }, async () => {
  dockerOk(svc, ['import', '--change', 'LABEL prune=me', busyboxTarball(), 'prunable:1']);
  const id = dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'prunable:1']).trim();
  // untagged: now dangling (unless another tag shares the id)
  const shared =
    dockerOk(svc, ['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}'])
      .split('\n')
      .filter((l) => l.startsWith(id)).length > 1;
  dockerOk(svc, ['tag', 'prunable:1', 'prunable:keep']);
  dockerOk(svc, ['rmi', 'prunable:1']);
  const none = dockerOk(svc, ['image', 'prune', '-f']);
  assert.match(none, /Total reclaimed space/);
  if (!shared) assert.equal(dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'prunable:keep']).trim(), id);
  const byLabel = await api(svc, 'POST', `/images/prune?filters=${encodeURIComponent(JSON.stringify({ dangling: ['false'], label: ['prune=me'] }))}`);
  assert.equal(byLabel.status, 200, byLabel.body.toString());
  const rep = byLabel.json();
  assert.ok(rep.ImagesDeleted.some((e: Record<string, string>) => e.Untagged === 'prunable:keep'));
  assert.equal(typeof rep.SpaceReclaimed, 'number');
  assert.equal(docker(svc, ['image', 'inspect', 'prunable:keep']).code, 1);
  // busybox has no such label: kept
  assert.equal(docker(svc, ['image', 'inspect', 'busybox']).code, 0);
  const bad = await api(svc, 'POST', `/images/prune?filters=${encodeURIComponent('{"until":["soon"]}')}`);
  assert.equal(bad.status, 400);
});

test("search lists a registry's repositories", { skip }, async () => {
  dockerOk(svc, ['tag', 'busybox', `${plain.host}/findme/app:1`]);
  dockerOk(svc, ['push', `${plain.host}/findme/app:1`]);
  const out = dockerOk(svc, ['search', `${plain.host}/findme`]);
  assert.match(out, /findme\/app/);
  dockerOk(svc, ['rmi', `${plain.host}/findme/app:1`]);
});

test('import from an http URL: the engine downloads it (docker CLI through the socket, and berth import); a 404 leaves no image', { skip }, async () => {
  // docker's CLI leaves the download to the daemon (fromSrc=URL); a web server of the test's own,
  // in a process of its own (the docker CLI runs synchronously here, blocking this one)
  const web = await WebServer.start({ '/rootfs.tar': busyboxTarball() });
  const base = web.base;
  try {
    const id = dockerOk(svc, ['import', '--change', 'CMD ["echo", "from a url"]', `${base}/rootfs.tar`, 'fromurl:1']).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(sb.ok(['run', '--rm', 'fromurl:1']).trim(), 'from a url');
    assert.match(sb.ok(['import', `${base}/rootfs.tar`, 'fromurl:2']).trim(), /^sha256:[0-9a-f]{64}$/);
    assert.equal(sb.ok(['run', '--rm', 'fromurl:2', 'echo', 'also']).trim(), 'also');
    const missing = docker(svc, ['import', `${base}/gone.tar`, 'fromurl:3']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /failed to GET http:\/\/127\.0\.0\.1:\d+\/gone\.tar with status 404 Not Found/);
    const own = sb.run(['import', `${base}/gone.tar`, 'fromurl:4']);
    assert.equal(own.code, 1);
    assert.match(own.stderr, /status 404 Not Found/);
    for (const ref of ['fromurl:3', 'fromurl:4']) assert.equal(docker(svc, ['image', 'inspect', ref]).code, 1, `${ref} was not made`);
    const bad = await api(svc, 'POST', '/images/create?fromSrc=ftp%3A%2F%2Fexample%2Fx.tar&repo=bad');
    assert.equal(bad.status, 400);
    assert.equal(bad.json<{ message: string }>().message, 'fromSrc must be "-" or an http(s) URL, not "ftp://example/x.tar"');
  } finally {
    await web.stop();
  }
});

test('pull --all-tags: every tag of a repository, through berth pull -a, docker pull -a and fromImage without a tag', { skip }, async () => {
  const repo = `${plain.host}/api/multi`;
  dockerOk(svc, ['tag', 'busybox', `${repo}:a`]);
  dockerOk(svc, ['import', '--change', 'LABEL which=b', busyboxTarball(), `${repo}:b`]);
  for (const t of ['a', 'b']) dockerOk(svc, ['push', `${repo}:${t}`]);
  const gone = () => {
    for (const t of ['a', 'b']) dockerOk(svc, ['rmi', `${repo}:${t}`]);
  };
  gone();
  const own = sb.ok(['pull', '-a', repo]);
  assert.match(own, /^a: Pulling from api\/multi$/m);
  assert.match(own, /^b: Pulling from api\/multi$/m);
  assert.match(own, new RegExp(`^Status: Downloaded newer image for ${repo}\\n${repo}\\n$`, 'm'));
  assert.equal(dockerOk(svc, ['inspect', '--format', '{{.Config.Labels.which}}', `${repo}:b`]).trim(), 'b');
  assert.match(sb.ok(['pull', '-a', repo]), new RegExp(`Status: Image is up to date for ${repo}`));
  const tagged = sb.run(['pull', '-a', `${repo}:a`]);
  assert.equal(tagged.code, 1);
  assert.match(tagged.stderr, /tag can't be used with --all-tags\/-a/);
  gone();
  // docker's CLI sends no tag with -a: the daemon pulls them all
  const viaDocker = dockerOk(svc, ['pull', '-a', repo]);
  assert.match(viaDocker, /a: Pulling from api\/multi/);
  assert.match(viaDocker, /b: Pulling from api\/multi/);
  assert.match(viaDocker, new RegExp(`Status: Downloaded newer image for ${repo}`));
  for (const t of ['a', 'b']) assert.equal(docker(svc, ['image', 'inspect', `${repo}:${t}`]).code, 0, `${repo}:${t} pulled`);
  gone();
});
