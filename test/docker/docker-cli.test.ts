/**
 * The CLI on a Docker-API daemon: `-H unix://…`, DOCKER_HOST, and `berth context
 * create/ls/use/inspect/rm` (stored under a temp BERTH_CONFIG), against a real dockerd.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH } from '../helpers/berth.js';
import { TestDockerd } from './dockerd.js';
import { NEEDS_ROOT } from '../helpers/tools.js';

const skip = NEEDS_ROOT;
let d: TestDockerd;
let config: string;

before(async () => {
  if (skip) return;
  d = new TestDockerd('berth-dcli');
  await d.start();
  await d.importBusybox();
  config = mkdtempSync(join(tmpdir(), 'berth-ctx-'));
});
after(async () => {
  if (d) await d.stop();
  if (config) rmSync(config, { recursive: true, force: true });
});

function berth(args: string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  const base = { ...process.env };
  delete base.DOCKER_HOST;
  delete base.DOCKER_CONTEXT;
  delete base.BERTH_CONTEXT;
  const r = spawnSync(BERTH, args, { env: { ...base, BERTH_CONFIG: config, NO_COLOR: '1', ...env }, input, timeout: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
function ok(args: string[], env?: NodeJS.ProcessEnv, input?: string): string {
  const r = berth(args, env, input);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('-H unix://…: run, ps -a, exec, logs, stop, rm, images', { skip }, () => {
  const H = ['-H', d.host];
  assert.equal(ok([...H, 'run', '--rm', 'busybox', 'echo', 'hello']), 'hello\n');
  const r = berth([...H, 'run', '--rm', 'busybox', 'sh', '-c', 'exit 3']);
  assert.equal(r.code, 3);
  const id = ok([...H, 'run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo started; exec sleep 600']).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const ps = ok([...H, 'ps', '-a']).split('\n');
  assert.match(ps[0]!, /^CONTAINER ID\s+IMAGE\s+COMMAND/);
  assert.ok(
    ps.some((l) => l.startsWith(id.slice(0, 12)) && /Up /.test(l) && l.trimEnd().endsWith('web')),
    ps.join('\n'),
  );
  assert.equal(ok([...H, 'exec', 'web', 'cat', '/etc/hostname']).trim(), id.slice(0, 12));
  assert.equal(ok([...H, 'exec', '-i', 'web', 'sh'], {}, 'echo piped\n'), 'piped\n');
  assert.equal(ok([...H, 'logs', 'web']), 'started\n');
  assert.equal(JSON.parse(ok([...H, 'inspect', 'web']))[0].Name, '/web');
  assert.match(ok([...H, 'images']), /busybox\s+latest/);
  ok([...H, 'stop', '-t', '1', 'web']);
  assert.match(ok([...H, 'ps', '-a', '--format', '{{.Names}} {{.Status}}']), /web Exited/);
  ok([...H, 'rm', 'web']);
  const missing = berth([...H, 'rm', 'web']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /No such container/i);
});

test('DOCKER_HOST picks the daemon; without it the embedded engine is used', { skip }, () => {
  assert.match(ok(['info'], { DOCKER_HOST: d.host }), /Storage Driver/);
  assert.match(ok(['images'], { DOCKER_HOST: d.host }), /busybox/);
});

test('context create/ls/use/inspect/rm, and commands through the current context', { skip }, () => {
  ok(['context', 'create', 'local-docker', '--docker', `host=${d.host}`, '--description', 'test daemon']);
  const dup = berth(['context', 'create', 'local-docker', '--docker', `host=${d.host}`]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already exists/);
  let ls = ok(['context', 'ls']).split('\n');
  assert.match(ls[0]!, /^NAME\s+DESCRIPTION\s+DOCKER ENDPOINT/);
  assert.ok(
    ls.some((l) => /^default \*/.test(l)),
    ls.join('\n'),
  );
  assert.ok(ls.some((l) => l.startsWith('local-docker') && l.includes(d.host)));
  // -c for one command
  assert.match(ok(['-c', 'local-docker', 'images']), /busybox/);
  ok(['context', 'use', 'local-docker']);
  ls = ok(['context', 'ls']).split('\n');
  assert.ok(
    ls.some((l) => /^local-docker \*/.test(l)),
    ls.join('\n'),
  );
  const insp = JSON.parse(ok(['context', 'inspect']));
  assert.equal(insp[0].Name, 'local-docker');
  assert.equal(insp[0].Endpoints.docker.Host, d.host);
  ok(['run', '--name', 'via-ctx', 'busybox', 'true']);
  assert.match(ok(['ps', '-a', '--format', '{{.Names}}']), /via-ctx/);
  ok(['rm', 'via-ctx']);
  const inUse = berth(['context', 'rm', 'local-docker']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /in use/);
  ok(['context', 'use', 'default']);
  ok(['context', 'rm', 'local-docker']);
  assert.equal(ok(['context', 'ls', '-q']).trim(), 'default');
});
