/**
 * POST /build driven by the docker CLI 20.10 (classic builder protocol) and docker-py: a tar
 * context with a multi-stage Dockerfile, tags, build args, labels and a target; `-q`; failures
 * in-stream and before it; docker-py's stream and aux ID; nothing left behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { Sandbox } from '../helpers/berth.js';
import { Service } from '../helpers/service.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { api, docker, dockerOk, dockerPy } from './images-clients.js';
import { RUN_SETTINGS, checkRunSettings } from '../fixtures/build-run-settings.js';

const skip = NEEDS_ROOT;
let sb: Sandbox;
let svc: Service;
/** The service unpacks contexts in its TMPDIR: one of this file's own, as other files' builds
 *  may run beside it (the suite's side lane). */
class BuildBox extends Sandbox {
  override get env(): NodeJS.ProcessEnv {
    return { ...super.env, TMPDIR: this.path('tmp') };
  }
}
const contexts = () => readdirSync(sb.path('tmp')).filter((n) => n.startsWith('berth-build-'));
let before0: string[] = [];

function context(name: string, dockerfile: string, files: Record<string, string> = {}): string {
  const dir = sb.path(name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/Dockerfile`, dockerfile);
  for (const [f, text] of Object.entries(files)) writeFileSync(`${dir}/${f}`, text);
  return dir;
}

before(async () => {
  if (skip) return;
  sb = new BuildBox('berth-api-build');
  mkdirSync(sb.path('tmp'), { recursive: true });
  svc = await new Service(sb).start();
  dockerOk(svc, ['import', busyboxTarball(), 'busybox:latest']);
  before0 = contexts();
});

after(async () => {
  if (skip) return;
  await svc?.stop();
  sb?.dispose();
});

const MULTI = `ARG BASE=busybox
FROM \${BASE} AS base
ARG GREETING=unset
RUN echo "$GREETING" > /greeting
COPY data.txt /data.txt

FROM base AS final
LABEL stage=final
CMD ["cat", "/greeting"]

FROM final AS extra
RUN echo extra > /extra
`;

test('docker build: steps streamed, tags, build args, labels and a target', { skip }, async () => {
  const dir = context('multi', MULTI, { 'data.txt': 'from the context\n' });
  const out = dockerOk(svc, [
    'build',
    '-t',
    'built:1',
    '-t',
    'built:also',
    '--build-arg',
    'GREETING=hello api',
    '--label',
    'team=berth',
    '--target',
    'final',
    dir,
  ]);
  assert.match(out, /^Step 1\/\d+ : ARG BASE=busybox$/m);
  assert.match(out, /Step \d+\/\d+ : RUN echo "\$GREETING" > \/greeting/);
  assert.match(out, /^Successfully built [0-9a-f]{12}$/m);
  assert.match(out, /^Successfully tagged built:1$/m);
  assert.match(out, /^Successfully tagged built:also$/m);
  assert.doesNotMatch(out, /echo extra/, 'the target stage ends the build');
  const doc = JSON.parse(dockerOk(svc, ['image', 'inspect', 'built:1']))[0];
  assert.equal(doc.Config.Labels.team, 'berth');
  assert.equal(doc.Config.Labels.stage, 'final');
  assert.deepEqual(doc.Config.Cmd, ['cat', '/greeting']);
  assert.equal(dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'built:also']).trim(), doc.Id);
  assert.equal(sb.ok(['run', '--rm', 'built:1']).trim(), 'hello api');
  assert.equal(sb.ok(['run', '--rm', 'built:1', 'cat', '/data.txt']), 'from the context\n');
  // unchanged: the same image again
  dockerOk(svc, ['build', '-t', 'built:1', '--build-arg', 'GREETING=hello api', '--label', 'team=berth', '--target', 'final', dir]);
  assert.equal(dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'built:1']).trim(), doc.Id);
  // -q prints the id alone; -f names a Dockerfile elsewhere in the context; --compress gzips it
  mkdirSync(`${dir}/sub`, { recursive: true });
  writeFileSync(`${dir}/sub/Other.dockerfile`, 'FROM busybox\nRUN echo other > /other\n');
  const q = dockerOk(svc, ['build', '-q', '--compress', '-f', `${dir}/sub/Other.dockerfile`, '-t', 'other:1', dir]);
  assert.match(q.trim(), /^sha256:[0-9a-f]{64}$/);
  assert.equal(q.trim(), dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'other:1']).trim());
  assert.equal(sb.ok(['run', '--rm', 'other:1', 'cat', '/other']).trim(), 'other');
});

test("a failing RUN is docker's in-stream error; a bad Dockerfile fails before the stream; nothing is left", { skip }, async () => {
  const failing = context('failing', 'FROM busybox\nRUN echo before\nRUN exit 3\n');
  const r = docker(svc, ['build', '-t', 'never:1', failing]);
  assert.equal(r.code, 3, "docker's CLI exits with errorDetail's code");
  assert.match(r.stdout, /Step 3\/3 : RUN exit 3/);
  assert.match(r.stderr, /The command '\/bin\/sh -c exit 3' returned a non-zero code: 3/);
  assert.equal(docker(svc, ['image', 'inspect', 'never:1']).code, 1);
  const bad = context('bad', 'FROM busybox\nFROBNICATE now\n');
  const b = docker(svc, ['build', bad]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /unknown instruction: FROBNICATE/i);
  // straight to the API: a malformed buildargs value is a 400
  const badArgs = await api(svc, 'POST', '/build?buildargs=%7Bnope');
  assert.equal(badArgs.status, 400);
  assert.equal(sb.ok(['ps', '-a', '-q']).trim(), '', 'no build container is left');
  assert.deepEqual(
    contexts().filter((c) => !before0.includes(c)),
    [],
    'no unpacked context is left',
  );
  assert.ok(svc.running);
});

test('docker-py: the build stream and the image it reports', { skip }, async () => {
  const dir = context('py', 'FROM busybox\nRUN echo py > /py\nCMD ["cat", "/py"]\n');
  const res = dockerPy<{ events: Record<string, any>[]; id: string; tags: string[] }>(
    svc,
    `events = list(client.api.build(path=${JSON.stringify(dir)}, tag='pybuilt:1', rm=True, decode=True, labels={'via': 'docker-py'}))
image, logs = client.images.build(path=${JSON.stringify(dir)}, tag='pybuilt:2')
print(json.dumps({'events': events, 'id': image.id, 'tags': image.tags}))`,
  );
  const streams = res.events
    .filter((e) => 'stream' in e)
    .map((e) => e.stream)
    .join('');
  assert.match(streams, /Step 1\/3 : FROM busybox/);
  const aux = res.events.find((e) => e.aux?.ID);
  assert.ok(aux, `no aux in ${JSON.stringify(res.events)}`);
  const id1 = dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'pybuilt:1']).trim();
  assert.equal(aux.aux.ID, id1);
  assert.equal(JSON.parse(dockerOk(svc, ['inspect', '--format', '{{json .Config.Labels}}', 'pybuilt:1'])).via, 'docker-py');
  assert.equal(res.id, dockerOk(svc, ['inspect', '--format', '{{.Id}}', 'pybuilt:2']).trim());
  assert.ok(res.tags.includes('pybuilt:2'));
});

test(
  'RUN settings: docker build --add-host/--shm-size/-m and docker-py extra_hosts/shmsize/container_limits; squash, another platform, isolation refused',
  { skip },
  async () => {
    const dir = context('runset', RUN_SETTINGS);
    dockerOk(svc, ['build', '-t', 'runset:cli', '--add-host', 'extra.example:10.9.8.7', '--shm-size', '128m', '-m', '64m', dir]);
    checkRunSettings((f) => sb.ok(['run', '--rm', 'runset:cli', 'cat', f]));
    dockerPy(
      svc,
      `list(client.api.build(path=${JSON.stringify(dir)}, tag='runset:py', nocache=True, extra_hosts={'extra.example': '10.9.8.7'}, shmsize=128 << 20, container_limits={'memory': 64 << 20}))
print('{}')`,
    );
    checkRunSettings((f) => sb.ok(['run', '--rm', 'runset:py', 'cat', f]));
    for (const [query, message] of [
      ['squash=1', 'squash is only supported with experimental mode'],
      ['platform=linux/s390x', "berth builds for this host's platform"],
      ['isolation=hyperv', 'Unsupported isolation: "hyperv"'],
      ['cachefrom=%5Bnope', 'invalid cachefrom'],
      ['shmsize=abc', 'invalid value for shmsize'],
    ] as const) {
      const r = await api(svc, 'POST', `/build?t=never:2&${query}`);
      assert.equal(r.status, 400, `${query}: ${r.body}`);
      assert.ok(r.json<{ message: string }>().message.includes(message), `${query}: ${r.body}`);
    }
    assert.equal(docker(svc, ['image', 'inspect', 'never:2']).code, 1);
    assert.equal(sb.ok(['ps', '-a', '-q']).trim(), '', 'no build container is left');
  },
);

test('docker-py: aux before "Successfully built/tagged"; RUN stderr in red as dockerd; a failing RUN carries its code', { skip }, async () => {
  const dir = context('order', 'FROM busybox\nRUN echo hello-out && echo hello-err >&2\n');
  const py = dockerPy<{ lines: Record<string, any>[]; failed: Record<string, any>[] }>(
    svc,
    `lines = list(client.api.build(path=${JSON.stringify(dir)}, tag='order:1', nocache=True, decode=True))
failed = list(client.api.build(path=${JSON.stringify(context('exit1', 'FROM busybox\nRUN exit 1\n'))}, decode=True))
print(json.dumps({'lines': lines, 'failed': failed}))`,
  );
  const [aux, built, tagged] = py.lines.slice(-3) as [Record<string, any>, Record<string, any>, Record<string, any>];
  assert.ok(aux.aux?.ID?.startsWith('sha256:'), JSON.stringify(py.lines.slice(-3)));
  assert.match(built.stream, /^Successfully built [0-9a-f]{12}\n$/);
  assert.equal(tagged.stream, 'Successfully tagged order:1\n', "docker-py's tests read lines[-1]['stream']");
  const streams = py.lines.filter((l) => 'stream' in l).map((l) => l.stream as string);
  assert.ok(streams.includes('\u001b[91mhello-err\n\u001b[0m'), JSON.stringify(streams));
  assert.ok(streams.includes('hello-out\n'), JSON.stringify(streams));
  const message = "The command '/bin/sh -c exit 1' returned a non-zero code: 1";
  assert.deepEqual(py.failed.at(-1), { errorDetail: { code: 1, message }, error: message });
  // docker's CLI prints the stream verbatim; berth's own CLI prints the same
  const viaDocker = dockerOk(svc, ['build', '--no-cache', dir]);
  const viaBerth = sb.ok(['build', '--no-cache', dir]);
  for (const out of [viaDocker, viaBerth]) assert.ok(out.includes('\u001b[91mhello-err\n\u001b[0m'), JSON.stringify(out));
  // the same lines but for ids
  const ids = (s: string) => s.replace(/\b[0-9a-f]{12}\b/g, '<id>').replace(/^Sending build context[^\n]*\n/, '');
  assert.equal(ids(viaBerth), ids(viaDocker));
  assert.match(viaBerth, /\n ---> [0-9a-f]{12}\nSuccessfully built [0-9a-f]{12}\n$/);
});

test('.dockerignore: an exception below an ignored directory is sent and copied, the rest of it is not', { skip }, async () => {
  const dir = context('ignore', 'FROM busybox\nCOPY . /ctx/\n', { '.dockerignore': 'ignored\n!ignored/subdir/excepted-file\n', 'keep.txt': 'k' });
  for (const f of ['ignored/a', 'ignored/subdir/excepted-file', 'ignored/subdir/other', 'ignored/deeper/x']) {
    mkdirSync(`${dir}/${f.slice(0, f.lastIndexOf('/'))}`, { recursive: true });
    writeFileSync(`${dir}/${f}`, f);
  }
  const want = ['/ctx', '/ctx/.dockerignore', '/ctx/Dockerfile', '/ctx/ignored', '/ctx/ignored/subdir', '/ctx/ignored/subdir/excepted-file', '/ctx/keep.txt'];
  const list = (img: string) => sb.ok(['run', '--rm', img, 'find', '/ctx']).trim().split('\n').sort();
  dockerOk(svc, ['build', '-t', 'ignore:docker', dir]);
  assert.deepEqual(list('ignore:docker'), want);
  sb.ok(['build', '-t', 'ignore:berth', dir]);
  assert.deepEqual(list('ignore:berth'), want);
  assert.equal(sb.ok(['run', '--rm', 'ignore:berth', 'cat', '/ctx/ignored/subdir/excepted-file']), 'ignored/subdir/excepted-file');
});

test('cachefrom: only the named images give cache hits; none existing, none at all', { skip }, async () => {
  const a = context('cfa', 'FROM busybox\nRUN echo one > /one\nENV X=1\nRUN echo two > /two\n');
  const b = context('cfb', 'FROM busybox\nRUN echo one > /one\nRUN echo b > /b\n');
  dockerOk(svc, ['build', '-t', 'cf:a', a]);
  dockerOk(svc, ['build', '-t', 'cf:b', b]);
  const hits = (dir: string, cacheFrom: string[]) => {
    const r = dockerPy<{ streams: string }>(
      svc,
      `lines = list(client.api.build(path=${JSON.stringify(dir)}, cache_from=${JSON.stringify(cacheFrom)}, decode=True))
print(json.dumps({'streams': ''.join(l.get('stream', '') for l in lines)}))`,
    );
    return { cached: (r.streams.match(/Using cache/g) ?? []).length, ran: (r.streams.match(/Running in/g) ?? []).length };
  };
  assert.deepEqual(hits(b, []), { cached: 2, ran: 0 }, 'no cachefrom: the whole cache');
  assert.deepEqual(hits(b, ['cf:a']), { cached: 1, ran: 1 }, "cf:b's last RUN is not on cf:a's chain");
  assert.deepEqual(hits(a, ['cf:a']), { cached: 3, ran: 0 });
  assert.deepEqual(hits(a, ['nosuchtag']), { cached: 0, ran: 2 });
  // a build that passed over the cache leaves it for the named image's chain
  assert.deepEqual(hits(a, ['nosuchtag', 'cf:a']), { cached: 3, ran: 0 });
  // berth's CLI: --cache-from reaches the builder
  assert.doesNotMatch(sb.ok(['build', '--cache-from', 'nosuchtag', a]), /Using cache/);
  assert.equal((sb.ok(['build', '--cache-from', 'cf:a', a]).match(/Using cache/g) ?? []).length, 3);
});
