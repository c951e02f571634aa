/**
 * docker's CLI 20.10 (/usr/bin/docker), and the newer one at /usr/local/bin/docker where the
 * machine has it, against `berth system service`, on busybox and the real
 * Debian image: run/exec/logs/ps/inspect/stop/rm/stats/cp/events, `run -it` and `exec -it`
 * through a terminal (tmux) with Ctrl-P Ctrl-Q, and the state shared with berth's own CLI.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { catchesSignal } from '../helpers/wait.js';
import { Sandbox } from '../helpers/berth.js';
import { Service } from '../helpers/service.js';
import { NEEDS_ROOT, requireTool } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { debianTarball } from '../fixtures/debian.js';
import { Tmux } from '../e2e/tmux.js';
import { DOCKER_CLI, docker, dockerBg, dockerOk, until } from './clients.js';

/** Debian's docker CLI (20.10), and a newer one (23+) where the machine has it. */
const clis = () => [requireTool(DOCKER_CLI, 'docker.io'), ...['/usr/local/bin/docker'].filter((p) => existsSync(p))];

for (const bin of NEEDS_ROOT ? DOCKER_CLI : clis()) {
  const version = NEEDS_ROOT ? '' : (execFileSync(bin, ['--version'], { encoding: 'utf8' }).match(/version (\d+\.\d+)/)?.[1] ?? '?');
  describe(`docker CLI ${version} through berth system service`, { skip: NEEDS_ROOT, timeout: 900_000 }, () => {
    const run = (args: string[], opts?: Parameters<typeof docker>[2]) => docker(svc, args, { ...opts, bin });
    const ok = (args: string[], opts?: Parameters<typeof docker>[2]) => dockerOk(svc, args, { ...opts, bin });
    const bg = (args: string[]) => dockerBg(svc, args, { bin });

    let box: Sandbox;
    let svc: Service;

    before(async () => {
      requireTool(['/usr/bin/tmux'], 'tmux');
      box = new Sandbox('berth-api-cli');
      box.ok(['import', busyboxTarball(), 'busybox']);
      box.ok(['import', debianTarball(), 'debian:12'], { timeout: 300_000 });
      svc = await new Service(box).start();
    });
    after(async () => {
      await svc?.stop();
      box?.dispose();
    });

    it('run --rm passes the exit code and both streams on, and leaves nothing', () => {
      const r = run(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, 'out\n');
      assert.equal(r.stderr, 'err\n');
      const d = run(['run', '--rm', 'debian:12', 'sh', '-c', 'cat /etc/debian_version; exit 7']);
      assert.equal(d.code, 7, d.stderr);
      assert.match(d.stdout, /^12\./);
      assert.equal(ok(['ps', '-aq']), '');
    });

    it('run --rm of a command that cannot start exits 127 with the runtime error, and leaves nothing', () => {
      // docker 23+ waits for condition=removed after the failed start: the service removes it
      for (const detach of [[], ['-d']]) {
        const r = run(['run', ...detach, '--rm', 'busybox', '/nonexistent'], { timeout: 60_000 });
        assert.equal(r.code, 127, `${detach.join('')}: ${r.stderr}`);
        assert.match(r.stderr, /\/nonexistent.*no such file or directory/);
        assert.equal(ok(['ps', '-aq']), '');
      }
    });

    it('run -d -p serves, and ps, inspect, exec, logs, stats, cp, stop and rm -f work on it', async () => {
      const id = ok([
        'run',
        '-d',
        '--name',
        'web',
        '-p',
        '127.0.0.1::80',
        '--label',
        'tier=front',
        'busybox',
        'httpd',
        '-f',
        '-p',
        '80',
        '-h',
        '/var/www',
      ]).trim();
      assert.match(id, /^[0-9a-f]{64}$/);
      const port = Number(ok(['inspect', '-f', '{{(index (index .NetworkSettings.Ports "80/tcp") 0).HostPort}}', 'web']).trim());
      assert.ok(port > 0);
      const page = await until('the published port', async () => {
        try {
          return await (await fetch(`http://127.0.0.1:${port}/index.html`)).text();
        } catch {
          return undefined;
        }
      });
      assert.equal(page, 'hello from berth\n');
      assert.equal(ok(['ps', '--filter', 'label=tier=front', '--format', '{{.Names}}|{{.Image}}|{{.State}}']), 'web|busybox|running\n');
      assert.match(ok(['ps', '--format', '{{.Ports}}']), new RegExp(`127\\.0\\.0\\.1:${port}->80/tcp`));
      // the shared state: berth's own CLI sees the container made through the socket
      assert.match(box.ok(['ps', '--format', '{{.Names}} {{.Status}}']), /^web Up/m);
      assert.equal(ok(['exec', 'web', 'sh', '-c', 'echo $((6*7)); echo e >&2']), '42\n');
      const ex = run(['exec', 'web', 'sh', '-c', 'exit 5']);
      assert.equal(ex.code, 5);
      ok(['exec', 'web', 'sh', '-c', 'echo from-exec > /proc/1/fd/1']);
      assert.match(ok(['logs', 'web']), /from-exec/);
      const stats = ok(['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}} {{.PIDs}}', 'web']);
      assert.match(stats, /^web \d+(\.\d+)?[KMG]?i?B \/ \d+(\.\d+)?[KMG]iB [1-9]\d*\n$/);

      // cp both ways, a file and a directory
      const local = box.path('note.txt');
      writeFileSync(local, 'note\n');
      ok(['cp', local, 'web:/tmp/']);
      assert.equal(ok(['exec', 'web', 'cat', '/tmp/note.txt']), 'note\n');
      ok(['cp', 'web:/var/www', box.path('www')]);
      assert.equal(readFileSync(box.path('www/index.html'), 'utf8'), 'hello from berth\n');
      const missing = run(['cp', 'web:/nope', box.path('x')]);
      assert.notEqual(missing.code, 0);
      // a HEAD answer has no body: docker's CLI words a 404 there itself, as with dockerd
      assert.match(missing.stderr, /No such container:path: web:\/nope|Could not find the file \/nope in container web/);
      const head = await svc.request('HEAD', `/containers/web/archive?path=${encodeURIComponent('/nope')}`);
      assert.equal(head.status, 404);

      ok(['stop', '-t', '1', 'web']);
      assert.equal(ok(['inspect', '-f', '{{.State.Status}}', 'web']), 'exited\n');
      ok(['rm', '-f', 'web']);
      const gone = run(['inspect', 'web']);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /No such (container|object): web/i);
    });

    it('logs -f follows a running container until it exits', async () => {
      ok(['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5; do echo tick $i; sleep 0.3; done']);
      const f = bg(['logs', '-f', '--timestamps', 'ticker']);
      await until('the last line', () => f.out().includes('tick 5'));
      await f.stop();
      assert.match(f.out(), /^\d{4}-\d\d-\d\dT[\d:.]+Z tick 1$/m);
      assert.equal(ok(['logs', '--tail', '2', 'ticker']), 'tick 4\ntick 5\n');
      ok(['rm', '-f', 'ticker']);
    });

    it('events streams what another client does, with filters', async () => {
      // --since a moment ago: what happens before the stream is open is replayed, so the run need
      // not wait for the client to have connected (a fixed pause was sometimes too short)
      const since = ((Date.now() - 1000) / 1000).toFixed(3);
      const ev = bg([
        'events',
        '--since',
        since,
        '--filter',
        'type=container',
        '--filter',
        'container=evented',
        '--format',
        '{{.Action}} {{.Actor.Attributes.name}}',
      ]);
      run(['run', '--rm', '--name', 'evented', 'busybox', 'true']);
      await until('die and destroy', () => /destroy evented/.test(ev.out()), 30_000);
      await ev.stop();
      const actions = ev
        .out()
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]);
      assert.deepEqual(
        actions,
        ['create', 'attach', 'start', 'die', 'destroy'].filter((a) => actions.includes(a)),
      );
      assert.ok(actions.includes('create') && actions.includes('start') && actions.includes('die'), ev.out());
    });

    it('run -it attaches a terminal; Ctrl-P Ctrl-Q detaches and the container runs on; exec -it', async () => {
      const t = new Tmux({ ...svc.dockerEnv, TERM: 'xterm' });
      try {
        t.start([bin, 'run', '-it', '--name', 'term', 'debian:12', 'bash', '--norc'], 100, 30);
        await t.waitForText(/[#$]\s*$/m);
        t.type('echo "cols=$(tput cols 2>/dev/null || stty size)"; echo $((7*6))x');
        t.keys('Enter');
        await t.waitForText('42x');
        t.keys('C-p', 'C-q');
        await t.waitFor('docker run to return', () => t.dead());
        assert.equal(ok(['inspect', '-f', '{{.State.Running}}', 'term']), 'true\n');
      } finally {
        t.kill();
      }
      const e = new Tmux({ ...svc.dockerEnv, TERM: 'xterm' });
      try {
        e.start([bin, 'exec', '-it', 'term', 'bash', '--norc'], 90, 25);
        await e.waitForText(/[#$]\s*$/m);
        e.type('stty size; tty');
        e.keys('Enter');
        await e.waitForText(/^25 90$/m);
        await e.waitForText(/\/dev\/pts\/\d+/);
        e.type('exit 4');
        e.keys('Enter');
        await e.waitFor('docker exec to return', () => e.dead());
      } finally {
        e.kill();
      }
      ok(['rm', '-f', 'term']);
    });

    it('kill -s, pause, unpause, top, rename, update, diff, export, logs --since/--until, wait, info and system df', async () => {
      const id = ok(['run', '-d', '--name', 'ops', 'busybox', 'sh', '-c', 'trap "echo got-usr1" USR1; echo started; while true; do sleep 0.2; done']).trim();
      const pid = Number(ok(['inspect', '-f', '{{.State.Pid}}', 'ops']).trim());
      await until('the trap on USR1', () => catchesSignal(pid, 10));
      ok(['kill', '-s', 'USR1', 'ops']);
      await until('the trap to run', () => run(['logs', 'ops']).stdout.includes('got-usr1'));
      const state = (name: string) => ok(['inspect', '-f', '{{.State.Status}}', name]).trim();
      ok(['pause', 'ops']);
      assert.equal(state('ops'), 'paused');
      ok(['unpause', 'ops']);
      assert.equal(state('ops'), 'running');
      const top = ok(['top', 'ops']).split('\n');
      assert.match(top[0]!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD/);
      assert.ok(
        top.some((l) => l.includes('sh -c trap')),
        top.join('\n'),
      );
      ok(['rename', 'ops', 'ops2']);
      assert.equal(ok(['inspect', '-f', '{{.Name}}', id]).trim(), '/ops2');
      ok(['update', '--memory', '64m', '--memory-swap', '128m', 'ops2']);
      assert.equal(ok(['inspect', '-f', '{{.HostConfig.Memory}}', 'ops2']).trim(), String(64 << 20));
      ok(['exec', 'ops2', 'sh', '-c', 'echo x > /made-here']);
      assert.match(ok(['diff', 'ops2']), /^A \/made-here$/m);
      const tar = join(box.dir, 'ops2.tar');
      ok(['export', '-o', tar, 'ops2']);
      assert.ok(execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).split('\n').includes('made-here'));
      assert.match(ok(['logs', '--since', '1h', 'ops2']), /^started$/m);
      assert.equal(ok(['logs', '--until', '2001-01-01T00:00:00Z', 'ops2']), '');
      const waiting = bg(['wait', 'ops2']);
      ok(['kill', 'ops2']);
      await until('wait to print the exit code', () => waiting.out() === '137\n');
      await waiting.stop();
      assert.match(ok(['info', '--format', '{{.Driver}} {{.OSType}}']), /^overlay linux$/m);
      const df = ok(['system', 'df']).split('\n');
      assert.match(df[0]!, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
      assert.match(df[1]!, /^Images\s+\d+\s+\d+\s+/);
      ok(['rm', 'ops2']);
    });

    it('answers unknown ids, malformed JSON and bad filters as docker does', async () => {
      const nf = await svc.request('GET', '/v1.41/containers/nosuch/json');
      assert.equal(nf.status, 404);
      assert.match(nf.json().message, /No such container: nosuch/);
      const bad = await svc.request('POST', '/v1.41/containers/create', '{"Image": "busybox",');
      assert.equal(bad.status, 400);
      assert.ok(bad.json().message);
      const empty = await svc.request('POST', '/containers/create', {});
      assert.equal(empty.status, 400);
      assert.equal(empty.json().message, 'config cannot be empty in order to create a container');
      const typed = await svc.request('POST', '/containers/create', { Image: 'busybox', HostConfig: { Memory: 'lots' } });
      assert.equal(typed.status, 400);
      assert.match(typed.json().message, /HostConfig.Memory/);
      // what berth does not do is refused, not dropped; docker's zero values pass (the CLI sends them)
      for (const [k, v] of [
        ['OomScoreAdj', 500],
        ['CgroupParent', 'mine.slice'],
        ['MemorySwappiness', 10],
        ['Runtime', 'kata'],
        ['DeviceRequests', [{ Count: -1, Capabilities: [['gpu']] }]],
      ] as const) {
        const r = await svc.request('POST', '/containers/create?name=refused', { Image: 'busybox', HostConfig: { [k]: v } });
        assert.equal(r.status, 400, k);
        assert.match(r.json().message, new RegExp(`^berth does not support HostConfig.${k} `));
      }
      const zeros = { OomScoreAdj: 0, CgroupParent: '', MemorySwappiness: -1, Runtime: 'runc', DeviceRequests: [], Isolation: '' };
      const z = await svc.request('POST', '/containers/create?name=zeros', { Image: 'busybox', Cmd: ['true'], HostConfig: zeros });
      assert.equal(z.status, 201, z.body.toString());
      assert.equal((await svc.request('DELETE', '/containers/zeros')).status, 204);
      const twoNets = await svc.request('POST', '/containers/create?name=refused', {
        Image: 'busybox',
        NetworkingConfig: { EndpointsConfig: { bridge: {}, other: {} } },
      });
      assert.equal(twoNets.status, 400);
      assert.equal(twoNets.json().message, 'Container cannot be connected to network endpoints: bridge, other');
      assert.equal((await svc.request('GET', '/containers/refused/json')).status, 404); // nothing was made
      const filt = await svc.request('GET', `/containers/json?filters=${encodeURIComponent('{"colour":["red"]}')}`);
      assert.equal(filt.status, 400);
      assert.equal(filt.json().message, "Invalid filter 'colour'");
      const garbled = await svc.request('GET', `/containers/json?filters=${encodeURIComponent('{nope')}`);
      assert.equal(garbled.status, 400);
      const noImage = await svc.request('POST', '/containers/create', { Image: 'nosuchimage:1' });
      assert.equal(noImage.status, 404);
      const conflict = await svc.request('POST', '/containers/create?name=twin', { Image: 'busybox', Cmd: ['true'] });
      assert.equal(conflict.status, 201);
      const again = await svc.request('POST', '/containers/create?name=twin', { Image: 'busybox', Cmd: ['true'] });
      assert.equal(again.status, 409);
      const cli = run(['rm', 'nosuch']);
      assert.equal(cli.code, 1);
      assert.match(cli.stderr, /No such container: nosuch/);
      ok(['rm', 'twin']);
      const swarm = await svc.request('GET', '/swarm');
      assert.equal(swarm.status, 503);
      assert.match(swarm.json().message, /not a swarm manager/);
      const unknown = await svc.request('GET', '/v1.41/nothing/here');
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.json(), { message: 'page not found' });
      const tooNew = await svc.request('GET', '/v1.99/info');
      assert.equal(tooNew.status, 400);
      assert.match(tooNew.json().message, /client version 1.99 is too new/);
      // both filter shapes clients send select the same containers
      ok(['create', '--name', 'shaped', '--label', 'k=v', 'busybox', 'true']);
      const a = await svc.request('GET', `/containers/json?all=1&filters=${encodeURIComponent('{"label":["k=v"]}')}`);
      const b = await svc.request('GET', `/containers/json?all=True&filters=${encodeURIComponent('{"label":{"k=v":true}}')}`);
      assert.deepEqual(
        a.json().map((c: any) => c.Names),
        [['/shaped']],
      );
      assert.deepEqual(
        b.json().map((c: any) => c.Names),
        [['/shaped']],
      );
      ok(['rm', 'shaped']);
    });
  });
}
