/**
 * Every flag berth accepts does something (issue 16): the flags that were accepted and ignored,
 * each doing what docker's does — logs --details, stats --no-trunc, ps -s / inspect -s,
 * import --platform, rmi --no-prune, attach/run --sig-proxy, -D / -l, docker's `--flag=false`.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Box, NONE, until } from './container-support.js';
import { BERTH } from '../helpers/berth.js';
import { busyboxTarball } from '../fixtures/busybox.js';

const sb = new Box('berth-flags-used');
after(() => sb.disposeChecked());

test("logs --details: docker's attribute prefix (none here: a lone space), before the timestamp's line", async () => {
  sb.runD(['--name', 'det', ...NONE, 'busybox', 'sh', '-c', 'echo one; echo two >&2']);
  assert.ok(await until(() => sb.ok(['inspect', '-f', '{{.State.Status}}', 'det']).trim() === 'exited'));
  const r = sb.run(['logs', '--details', 'det']);
  assert.deepEqual([r.stdout, r.stderr], [' one\n', ' two\n']);
  assert.equal(sb.run(['logs', 'det']).stdout, 'one\n');
  assert.match(sb.ok(['logs', '--details', '-t', 'det']), /^\S+Z {2}one\n$/);
  sb.ok(['rm', 'det']);
});

test("ps -s and inspect -s: the writable layer's size and the virtual size", async () => {
  sb.runD(['--name', 'sz', ...NONE, 'busybox', 'sh', '-c', 'head -c 30000 /dev/zero > /big; sleep 300']);
  const id = sb.id('sz');
  let doc: Record<string, any> = {};
  const grown = await until(() => {
    doc = JSON.parse(sb.ok(['container', 'inspect', '-s', 'sz']))[0];
    return doc.SizeRw >= 30000;
  });
  assert.ok(grown, `SizeRw ${doc.SizeRw}`);
  const image = JSON.parse(sb.ok(['image', 'inspect', 'busybox']))[0].Size as number;
  assert.equal(doc.SizeRootFs, doc.SizeRw + image);
  assert.equal('SizeRw' in JSON.parse(sb.ok(['container', 'inspect', 'sz']))[0], false, 'only when asked');
  const table = sb.ok(['ps', '-s', '-f', 'name=sz']).split('\n');
  assert.match(table[0]!, /NAMES\s+SIZE$/);
  assert.match(table[1]!, new RegExp(`^${id.slice(0, 12)} .* sz\\s+3\\d\\.?\\d*kB \\(virtual \\d+(\\.\\d+)?[kM]B\\)$`));
  // a --format that shows the size asks for it, as docker's
  assert.match(sb.ok(['ps', '-f', 'name=sz', '--format', '{{.Names}} {{.Size}}']), /^sz 3\d\.?\d*kB \(virtual /);
  sb.ok(['rm', '-f', 'sz']);
});

test('stats --no-trunc shows full ids', () => {
  const id = sb.runD(['--name', 'st', ...NONE, 'busybox', 'sleep', '300']);
  assert.equal(sb.ok(['stats', '--no-stream', '--no-trunc', '--format', '{{.ID}}', 'st']).trim(), id);
  assert.equal(sb.ok(['stats', '--no-stream', '--format', '{{.ID}}', 'st']).trim(), id.slice(0, 12));
  sb.ok(['rm', '-f', 'st']);
});

test("import --platform names the image's platform; rmi --no-prune removes it (no parents to keep here)", () => {
  sb.ok(['import', '--platform', 'linux/arm64/v8', busyboxTarball(), 'armish:1']);
  const doc = JSON.parse(sb.ok(['image', 'inspect', 'armish:1']))[0];
  assert.deepEqual([doc.Os, doc.Architecture, doc.Variant], ['linux', 'arm64', 'v8']);
  const bad = sb.run(['import', '--platform', 'nonsense', busyboxTarball(), 'bad:1']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid platform "nonsense"/);
  assert.match(sb.ok(['rmi', '--no-prune', 'armish:1']), /^Untagged: armish:1\nDeleted: sha256:/);
  assert.equal(sb.run(['image', 'inspect', 'armish:1']).code, 1);
});

/** Starts bin/berth in the background; resolves its exit once `ready` has been printed and `signal` sent. */
function signalled(args: string[], ready: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(BERTH, args, { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const onData = (b: Buffer) => {
      out += b.toString();
      if (!sent && out.includes(ready)) {
        sent = true;
        child.kill(signal);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, out });
    });
  });
}

const TRAPPER = ['sh', '-c', 'trap "echo got-term; exit 3" TERM; while :; do echo tick; sleep 0.2; done'];

test('attach, run and start -a hand the signals berth gets to the container (--sig-proxy)', async () => {
  sb.runD(['--name', 'sig1', ...NONE, 'busybox', ...TRAPPER]);
  const a = await signalled(['attach', 'sig1'], 'tick', 'SIGTERM');
  assert.deepEqual([a.code, a.signal], [3, null], a.out);
  assert.match(a.out, /got-term/);
  assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'sig1']).trim(), 'exited 3');

  const r = await signalled(['run', '--name', 'sig2', ...NONE, 'busybox', ...TRAPPER], 'tick', 'SIGTERM');
  assert.deepEqual([r.code, r.signal], [3, null], r.out);
  const s = await signalled(['start', '-a', 'sig2'], 'tick', 'SIGTERM');
  assert.deepEqual([s.code, s.signal], [3, null], s.out);

  // --sig-proxy=false (docker's spelling) and --no-sig-proxy: the signal ends berth alone
  sb.runD(['--name', 'sig3', ...NONE, 'busybox', ...TRAPPER]);
  for (const flag of ['--sig-proxy=false', '--no-sig-proxy']) {
    const n = await signalled(['attach', flag, 'sig3'], 'tick', 'SIGTERM');
    assert.equal(n.signal, 'SIGTERM', `${flag}: ${n.out}`);
    assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', 'sig3']).trim(), 'running', flag);
  }
  sb.ok(['rm', '-f', 'sig1', 'sig2', 'sig3']);
});

test("docker's --flag=true / --flag=false forms of boolean flags", () => {
  sb.ok(['run', '--rm=false', '--name', 'kept', ...NONE, 'busybox', 'true']);
  assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', 'kept']).trim(), 'exited');
  sb.ok(['rm', 'kept']);
  sb.ok(['run', '--rm=true', '--name', 'gone', ...NONE, 'busybox', 'true']);
  assert.equal(sb.run(['inspect', 'gone']).code, 1);
  // a container's own arguments are its own, even when they look like berth's flags
  assert.equal(sb.ok(['run', '--rm', ...NONE, 'busybox', 'echo', '--rm=false', '-d=true']), '--rm=false -d=true\n');
});

test("-D and -l: the engine's log records on stderr, at the level asked for", () => {
  const d = sb.run(['-D', 'run', '--rm', ...NONE, 'busybox', 'true']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(d.stdout, '');
  assert.match(d.stderr, /^time="[^"]+" level=debug msg="embedded engine: state root /m);
  assert.match(d.stderr, /level=debug msg="conmon: \S*conmon /);
  assert.match(d.stderr, /level=debug msg="run: \S*runc /);
  assert.equal(sb.run(['--log-level', 'debug', 'ps']).stderr.includes('level=debug'), true);
  const quiet = sb.run(['-l', 'error', 'run', '--rm', ...NONE, 'busybox', 'true']);
  assert.deepEqual([quiet.code, quiet.stderr], [0, '']);
  assert.equal(sb.run(['ps']).stderr, '');
});
