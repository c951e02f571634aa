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
  assert.equal(r.code, 1);
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
