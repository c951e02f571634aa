/**
 * Processes inside running containers and terminals: exec (-e -w -u -d, exit codes, -it), a
 * busybox web server reached with exec, `run -it` driven through a pty, attach with Ctrl-P
 * Ctrl-Q (the container stays up) and `exit` / Ctrl-D in the attached shell (it stops).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Box, NONE, onPty, until } from './container-support.js';

let sb: Box;
before(() => {
  sb = new Box('berth-ctr-exec');
  sb.runD(['--name', 'web', ...NONE, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/var/www']);
});
after(() => sb.disposeChecked());

const status = (n: string) => sb.ok(['inspect', '-f', '{{.State.Status}}', n]).trim();

test('a -d busybox httpd answers wget through exec', async () => {
  let body = '';
  assert.ok(await until(() => (body = sb.run(['exec', 'web', 'wget', '-qO-', 'http://127.0.0.1/']).stdout) !== '', 5000));
  assert.equal(body, 'hello from berth\n');
});

test('exec: -e, -w, -u, exit codes, stdin with -i', () => {
  const r = sb.run(['exec', '-e', 'GREETING=hi there', '-w', '/var/www', '-u', 'nobody', 'web', 'sh', '-c', 'echo "$GREETING"; pwd; id -un; exit 3']);
  assert.equal(r.code, 3);
  assert.deepEqual(r.stdout.trim().split('\n'), ['hi there', '/var/www', 'nobody']);
  assert.equal(sb.ok(['exec', '-u', '65534:65534', 'web', 'id', '-g']).trim(), '65534');
  // -e NAME: this shell's value (the suite runs with NO_COLOR=1); a name it lacks is not set
  assert.deepEqual(
    sb
      .ok(['exec', '-e', 'NO_COLOR', '-e', 'BERTH_UNSET_X', 'web', 'env'])
      .split('\n')
      .filter((l) => /^(NO_COLOR|BERTH_UNSET_X)/.test(l))
      .sort(),
    ['NO_COLOR=1'],
  );
  assert.equal(sb.ok(['exec', '-i', 'web', 'wc', '-c'], { input: 'abcdef' }).trim(), '6');
  // the exec'd process shares the container's pid namespace (httpd is PID 1)
  assert.match(sb.ok(['exec', 'web', 'cat', '/proc/1/cmdline']), /^httpd/);
  // --net none: a network namespace with only lo
  assert.equal(sb.ok(['exec', 'web', 'ls', '/sys/class/net']).trim(), 'lo');
  const nf = sb.run(['exec', 'web', 'nosuchcmd']);
  assert.equal(nf.code, 127);
  assert.match(nf.stderr, /executable file not found/);
  const nx = sb.run(['exec', 'web', '/etc/passwd']);
  assert.equal(nx.code, 126);
  const notty = sb.run(['exec', '-it', 'web', 'sh']);
  assert.notEqual(notty.code, 0);
  assert.match(notty.stderr, /the input device is not a TTY/);
});

test('exec -d runs in the background', async () => {
  const r = sb.run(['exec', '-d', 'web', 'sh', '-c', 'sleep 0.3; echo done > /tmp/bg']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.ok(await until(() => sb.run(['exec', 'web', 'cat', '/tmp/bg']).stdout === 'done\n', 5000));
});

/** Pids of the processes whose argv is exactly this one. */
function pidsOf(argv: string[]): number[] {
  const want = argv.join('\0') + '\0';
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === want;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A process's parent pid and that parent's argv. */
function parentOf(pid: number): { ppid: number; argv: string[] } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return { ppid, argv: readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0') };
}

test('exec -d: a conmon of its own is the process parent and reaper (not PID 1, which may never reap); rm -f ends both', async () => {
  sb.runD(['--name', 'bgreap', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok(['exec', '-d', 'bgreap', 'sleep', '2718']);
  let pids: number[] = [];
  assert.ok(await until(() => (pids = pidsOf(['sleep', '2718'])).length === 1, 5000), 'the exec -d process');
  const parent = parentOf(pids[0]!);
  // A PID 1 that never reaps (node or bash as a container's init, where berth itself runs in
  // a container) would keep this process's zombie and wedge the container's init in its exit.
  assert.match(parent.argv[0]!, /(^|\/)conmon$/);
  assert.ok(parent.argv.includes('--exec'), parent.argv.join(' '));
  // a process that cannot start: docker's message and 127 (its conmon is gone: disposeChecked)
  const nf = sb.run(['exec', '-d', 'bgreap', 'nosuchcmd']);
  assert.equal(nf.code, 127);
  assert.match(nf.stderr, /executable file not found/);
  // finished sessions are swept by the next exec -d: only the live one and the newest remain
  sb.ok(['exec', '-d', 'bgreap', 'true']);
  await new Promise((r) => setTimeout(r, 300));
  sb.ok(['exec', '-d', 'bgreap', 'true']);
  const sessions = join(sb.root, 'containers', sb.id('bgreap'), 'exec-sessions');
  assert.ok(readdirSync(sessions).length <= 2, readdirSync(sessions).join(' '));
  sb.ok(['rm', '-f', 'bgreap']);
  assert.deepEqual(pidsOf(['sleep', '2718']), []);
  assert.ok(!existsSync(`/proc/${parent.ppid}/cmdline`) || readFileSync(`/proc/${parent.ppid}/cmdline`, 'utf8') === '', 'the exec conmon is gone');
});

test('exec into a stopped container is refused', () => {
  sb.ok(['create', '--name', 'cold', ...NONE, 'busybox', 'true']);
  sb.id('cold');
  const r = sb.run(['exec', 'cold', 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /is not running/);
  sb.ok(['rm', 'cold']);
});

test('run -it: a shell on a pty; typing `echo hi; exit 3` prints hi and exits 3', async () => {
  const r = await onPty(sb, ['run', '-it', '--rm', '--name', 'itsh', ...NONE, 'busybox', 'sh'], [{ wait: '# ' }, { send: 'echo h""i; exit 3\r' }]);
  assert.equal(r.code, 3, r.out);
  assert.match(r.out, /\r\nhi\r\n/);
  // the host terminal is raw like docker's (no output post-processing): no doubled \r
  assert.doesNotMatch(r.out, /\r\r\n/);
  assert.ok(await until(() => sb.run(['inspect', 'itsh']).code !== 0, 5000), '--rm container still there');
});

test('exec -it: a shell on a pty in a running container', async () => {
  const r = await onPty(sb, ['exec', '-it', 'web', 'sh'], [{ wait: '# ' }, { send: 'tty; exit 4\r' }]);
  assert.equal(r.code, 4, r.out);
  assert.match(r.out, /\/dev\/pts\/\d+/);
  assert.equal(status('web'), 'running');
});

test('attach: Ctrl-P Ctrl-Q detaches and the container keeps running; exit stops it', async () => {
  sb.runD(['-it', '--name', 'att', ...NONE, 'busybox', 'sh']);
  const d = await onPty(sb, ['attach', 'att'], [{ sleep: 0.5 }, { send: 'echo attached-$((6*7))\r' }, { wait: 'attached-42' }, { send: '\x10\x11' }]);
  assert.notEqual(d.code, null, `attach did not return on Ctrl-P Ctrl-Q: ${d.out}`);
  assert.match(d.out, /attached-42/);
  assert.equal(status('att'), 'running');
  // attach again: the same shell (its state survived), then `exit 5` stops the container
  const e = await onPty(sb, ['attach', 'att'], [{ sleep: 0.5 }, { send: 'exit 5\r' }]);
  assert.equal(e.code, 5, e.out);
  assert.ok(await until(() => status('att') === 'exited'));
  assert.equal(sb.ok(['inspect', '-f', '{{.State.ExitCode}}', 'att']).trim(), '5');
  // start it again and end it with Ctrl-D
  sb.ok(['start', 'att']);
  // a fresh prompt first: Ctrl-D typed before berth made the terminal raw would be the host
  // terminal's own end-of-file, not a key for the container
  const c = await onPty(sb, ['attach', 'att'], [{ sleep: 0.5 }, { send: '\r' }, { wait: '# ' }, { sleep: 0.2 }, { send: '\x04' }]);
  assert.equal(c.code, 0, c.out);
  assert.ok(await until(() => status('att') === 'exited'));
  sb.ok(['rm', 'att']);
});

test('run -it with Ctrl-P Ctrl-Q leaves the container running in the background', async () => {
  const r = await onPty(sb, ['run', '-it', '--name', 'det', ...NONE, 'busybox', 'sh'], [{ wait: '# ' }, { send: '\x10\x11' }]);
  assert.notEqual(r.code, null, r.out);
  assert.equal(status('det'), 'running');
  assert.equal(sb.ok(['exec', 'det', 'echo', 'still']).trim(), 'still');
  sb.ok(['rm', '-f', 'det']);
});

test('start -a -i attaches stdin and returns the exit code', () => {
  sb.ok(['create', '-i', '--name', 'sai', ...NONE, 'busybox', 'sh', '-c', 'read x; echo "got $x"; exit 2']);
  sb.id('sai');
  const r = sb.run(['start', '-a', '-i', 'sai'], { input: 'hello\n' });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, 'got hello\n');
  sb.ok(['rm', 'sai']);
});
