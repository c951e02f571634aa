/**
 * Container lifecycle on real busybox containers: create/start/stop/kill/restart/rm/rename/
 * pause/unpause, run's options, restart policies, ps, inspect, logs, wait, top, prune, and the
 * refusals (unknown container, name in use, 126/127).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { BERTH } from '../helpers/berth.js';
import { Box, NONE, until } from './container-support.js';

let sb: Box;
before(() => {
  sb = new Box('berth-ctr-life');
});
after(() => sb.disposeChecked());

const state = (n: string) => sb.ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', n]).trim();

test('create, start, stop -t, start again, restart, rm', () => {
  const id = sb.ok(['create', '--name', 'life', ...NONE, 'busybox', 'sleep', '300']).trim();
  sb.ids.add(id);
  assert.match(id, /^[a-f0-9]{64}$/);
  assert.equal(state('life'), 'created 0');
  assert.equal(sb.ok(['start', 'life']).trim(), 'life');
  const d = sb.inspect('life');
  assert.equal(d.State.Status, 'running');
  assert.equal(d.State.Running, true);
  assert.ok(d.State.Pid > 0);
  assert.ok(existsSync(`/proc/${d.State.Pid}`));
  // sleep as PID 1 ignores SIGTERM: stop -t 1 escalates to SIGKILL after one second
  const t0 = Date.now();
  sb.ok(['stop', '-t', '1', 'life']);
  const took = Date.now() - t0;
  assert.ok(took >= 900 && took < 6000, `stop -t 1 took ${took} ms`);
  assert.equal(state('life'), 'exited 137');
  const fin = sb.inspect('life').State;
  assert.equal(fin.Running, false);
  assert.equal(fin.Pid, 0);
  assert.ok(Date.parse(fin.FinishedAt) >= Date.parse(fin.StartedAt));
  sb.ok(['start', 'life']);
  const pid1 = sb.inspect('life').State.Pid;
  sb.ok(['restart', '-t', '0', 'life']);
  const pid2 = sb.inspect('life').State.Pid;
  assert.equal(state('life'), 'running 0');
  assert.notEqual(pid1, pid2);
  // restart again and again: each new run must find its root filesystem in place (a late exit
  // command of the previous run once unmounted it: "exec: sleep: executable file not found")
  for (let i = 0; i < 3; i++) {
    sb.ok(['restart', '-t', '0', 'life']);
    assert.equal(state('life'), 'running 0');
    assert.equal(sb.ok(['exec', 'life', 'cat', '/proc/1/cmdline']), 'sleep\0' + '300\0');
  }
  assert.ok(!existsSync(`/proc/${pid1}/cmdline`) || !readFileSync(`/proc/${pid1}/cmdline`, 'utf8').startsWith('sleep'));
  // rm of a running container is refused with docker's message; -f kills it
  const r = sb.run(['rm', 'life']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /cannot remove container "\/life": container is running: stop the container before removing or force remove/);
  assert.equal(sb.ok(['rm', '-f', 'life']).trim(), 'life');
  assert.ok(!existsSync(`/proc/${pid2}/cmdline`) || !readFileSync(`/proc/${pid2}/cmdline`, 'utf8').startsWith('sleep'));
  assert.equal(sb.run(['inspect', 'life']).code, 1);
});

test('stop and rm of several containers: side by side, reported in the order given, one error line each', () => {
  const names = ['multi1', 'multi2', 'multi3', 'multi4', 'multi5'];
  for (const n of names) sb.runD(['--name', n, ...NONE, 'busybox', 'sleep', '300']);
  const stop = sb.run(['stop', '-t', '0', 'multi3', 'nosuch', ...names.filter((n) => n !== 'multi3')]);
  assert.equal(stop.code, 1);
  assert.deepEqual(stop.stdout.trim().split('\n'), ['multi3', 'multi1', 'multi2', 'multi4', 'multi5']);
  assert.match(stop.stderr, /^Error response from daemon: .*nosuch/);
  assert.equal(stop.stderr.trim().split('\n').length, 1);
  for (const n of names) assert.equal(sb.ok(['inspect', '-f', '{{.State.Status}}', n]).trim(), 'exited');
  sb.runD(['--name', 'multi6', ...NONE, 'busybox', 'sleep', '300']);
  const rm = sb.run(['rm', '-f', ...names, 'multi6']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.deepEqual(rm.stdout.trim().split('\n'), [...names, 'multi6']);
  assert.equal(sb.ok(['ps', '-aq', '-f', 'name=multi']).trim(), '');
});

test('kill -s delivers the signal; kill defaults to SIGKILL', async () => {
  sb.runD(['--name', 'sig', ...NONE, 'busybox', 'sh', '-c', 'trap "echo got USR1" USR1; trap "echo got TERM; exit 0" TERM; while true; do sleep 0.1; done']);
  sb.ok(['kill', '-s', 'USR1', 'sig']);
  assert.ok(await until(() => sb.ok(['logs', 'sig']).includes('got USR1')));
  assert.equal(state('sig'), 'running 0');
  sb.ok(['kill', '--signal', 'TERM', 'sig']);
  assert.ok(await until(() => state('sig') === 'exited 0'), state('sig'));
  assert.match(sb.ok(['logs', 'sig']), /got TERM/);
  sb.ok(['start', 'sig']);
  // SIGKILL returns once the container has exited, as docker's kill: no wait needed after it
  sb.ok(['kill', 'sig']);
  assert.equal(state('sig'), 'exited 137');
  const r = sb.run(['kill', 'sig']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /is not running/);
  sb.ok(['rm', 'sig']);
  // a paused container too: thawed to take the SIGKILL
  sb.runD(['--name', 'pk', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok(['pause', 'pk']);
  sb.ok(['kill', 'pk']);
  assert.equal(state('pk'), 'exited 137');
  sb.ok(['rm', 'pk']);
});

test('pause and unpause freeze the cgroup', () => {
  const id = sb.runD(['--name', 'pz', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok(['pause', 'pz']);
  const d = sb.inspect('pz');
  assert.equal(d.State.Status, 'paused');
  assert.equal(d.State.Paused, true);
  assert.equal(readFileSync(`/sys/fs/cgroup/freezer/berth/${id}/freezer.state`, 'utf8').trim(), 'FROZEN');
  assert.match(sb.ok(['ps', '--format', '{{.Status}}', '-f', 'name=pz']), /\(Paused\)/);
  sb.ok(['unpause', 'pz']);
  assert.equal(readFileSync(`/sys/fs/cgroup/freezer/berth/${id}/freezer.state`, 'utf8').trim(), 'THAWED');
  assert.equal(state('pz'), 'running 0');
  sb.ok(['rm', '-f', 'pz']);
});

test("rename, and a name in use is refused with docker's message", () => {
  const id = sb.runD(['--name', 'one', ...NONE, 'busybox', 'sleep', '300']);
  const r = sb.run(['run', '--name', 'one', ...NONE, 'busybox', 'true']);
  assert.equal(r.code, 125);
  assert.match(
    r.stderr,
    new RegExp(
      `Conflict\\. The container name "/one" is already in use by container "${id}"\\. You have to remove \\(or rename\\) that container to be able to reuse that name\\.`,
    ),
  );
  const c = sb.run(['create', '--name', 'one', ...NONE, 'busybox', 'true']);
  assert.equal(c.code, 125);
  sb.ok(['rename', 'one', 'two']);
  assert.equal(sb.inspect('two').Name, '/two');
  assert.equal(sb.run(['inspect', 'one']).code, 1);
  // the old name is free again
  sb.ok(['run', '--rm', '--name', 'one', ...NONE, 'busybox', 'true']);
  sb.ok(['rm', '-f', 'two']);
});

test('run options: env, env-file, workdir, user, entrypoint, hostname, -i stdin, exit code', () => {
  const envFile = sb.path('env.list');
  writeFileSync(envFile, '# a comment\nA=1\nB=two words\n\nPASSED\n');
  const out = sb.run([
    'run',
    '--rm',
    ...NONE,
    '--env-file',
    envFile,
    '-e',
    'C=3',
    '-e',
    'A=override',
    '-w',
    '/tmp',
    '-u',
    '65534:65534',
    '--hostname',
    'myhost',
    '--entrypoint',
    '/bin/sh',
    'busybox',
    '-c',
    'echo "$A|$B|$C|${PASSED-unset}"; pwd; id -u; id -g; hostname; cat /etc/hostname; exit 5',
  ]);
  assert.equal(out.code, 5, out.stderr);
  assert.deepEqual(out.stdout.trim().split('\n'), ['override|two words|3|unset', '/tmp', '65534', '65534', 'myhost', 'myhost']);
  // -e NAME passes the caller's value
  const r = sb.run(['run', '--rm', ...NONE, '-e', 'NO_COLOR', 'busybox', 'sh', '-c', 'echo $NO_COLOR']);
  assert.equal(r.stdout.trim(), '1');
  // ... and one this shell does not have stays a bare name, as docker's CLI sends it: kept in
  // the config, and meaning "not set" in the container (also for an image default: HOSTNAME)
  // (a shell inside a container has HOSTNAME exported: here it must be unset, as in a login shell)
  const hostname = process.env.HOSTNAME;
  delete process.env.HOSTNAME;
  const bare = sb.run(['run', '--name', 'bare', ...NONE, '-e', 'BERTH_UNSET_X', '-e', 'HOSTNAME', 'busybox', 'env']);
  if (hostname !== undefined) process.env.HOSTNAME = hostname;
  assert.equal(bare.code, 0, bare.stderr);
  assert.doesNotMatch(bare.stdout, /BERTH_UNSET_X|HOSTNAME/);
  assert.ok(sb.inspect('bare').Config.Env.includes('BERTH_UNSET_X'));
  sb.ok(['rm', 'bare']);
  // -u NAME resolved through the image's /etc/passwd; -i passes stdin
  assert.equal(sb.ok(['run', '--rm', ...NONE, '-u', 'nobody', 'busybox', 'id', '-un']).trim(), 'nobody');
  assert.equal(sb.ok(['run', '--rm', '-i', ...NONE, 'busybox', 'tr', 'a-z', 'A-Z'], { input: 'hello\n' }), 'HELLO\n');
  // the default hostname is the short id, and the container is alone in its pid namespace
  const h = sb.run(['run', '--name', 'hn', ...NONE, 'busybox', 'sh', '-c', 'hostname; echo $$; ps -o pid | wc -l']);
  const id = sb.id('hn');
  const [hn, pid] = h.stdout.trim().split('\n');
  assert.equal(hn, id.slice(0, 12));
  assert.equal(pid, '1');
  sb.ok(['rm', 'hn']);
});

test('run --rm removes the container, also when it exits in the background', async () => {
  assert.equal(sb.ok(['run', '--rm', ...NONE, 'busybox', 'echo', 'bye']), 'bye\n');
  const fg = sb.run(['run', '--rm', ...NONE, 'busybox', 'sh', '-c', 'exit 4']);
  assert.equal(fg.code, 4);
  // long enough to be seen running on a loaded machine (run -d alone took ~1.5 s there)
  const id = sb.runD(['--rm', '--name', 'bgrm', ...NONE, 'busybox', 'sleep', '2']);
  assert.equal(state('bgrm'), 'running 0');
  // conmon's exit command removes it with no berth process around
  assert.ok(await until(() => sb.run(['inspect', id]).code !== 0, 10_000), 'still there');
  assert.equal(sb.ok(['ps', '-aq']).includes(id.slice(0, 12)), false);
  assert.ok(await until(() => !existsSync(`${sb.root}/containers/${id}`), 5000), 'its directory is still there');
});

test('--restart on-failure restarts a failing container and counts; always restarts a clean exit; stop ends it', async () => {
  sb.runD(['--name', 'onf', ...NONE, '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'sleep 0.3; exit 1']);
  sb.runD(['--name', 'alw', ...NONE, '--restart', 'always', 'busybox', 'sleep', '0.3']);
  sb.runD(['--name', 'okx', ...NONE, '--restart', 'on-failure', 'busybox', 'true']);
  const onf = () => sb.ok(['inspect', '-f', '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}', 'onf']).trim();
  assert.ok(await until(() => onf() === '2 exited 1', 15_000), onf());
  // "2 exited 1" is also what it looks like just before the second restart: it must stay so
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(onf(), '2 exited 1');
  assert.ok(await until(() => Number(sb.ok(['inspect', '-f', '{{.RestartCount}}', 'alw']).trim()) >= 2, 15_000));
  const hc = sb.inspect('alw').HostConfig.RestartPolicy;
  assert.equal(hc.Name, 'always');
  sb.ok(['stop', '-t', '1', 'alw']);
  const n = sb.ok(['inspect', '-f', '{{.RestartCount}}', 'alw']).trim();
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(sb.ok(['inspect', '-f', '{{.RestartCount}}', 'alw']).trim(), n, 'restarted after stop');
  assert.equal(sb.inspect('alw').State.Running, false);
  assert.equal(sb.ok(['inspect', '-f', '{{.RestartCount}}', 'okx']).trim(), '0');
  // kill counts as the user stopping it, as in docker; a later start re-arms the policy
  sb.runD(['--name', 'alk', ...NONE, '--restart', 'always', 'busybox', 'sh', '-c', 'trap "exit 3" USR1; echo ready; while :; do sleep 0.1; done']);
  sb.ok(['kill', 'alk']);
  const alk = () => sb.ok(['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'alk']).trim();
  assert.ok(await until(() => alk() !== '0 running', 15_000), alk());
  // and it stays so: no restart comes after a user's kill
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(alk(), '0 exited');
  sb.ok(['start', 'alk']);
  // PID 1 ignores signals it has no handler for: wait until this run's trap is set
  assert.ok(await until(() => sb.ok(['logs', 'alk']).split('ready').length - 1 >= 2, 10_000));
  sb.ok(['kill', '-s', 'USR1', 'alk']); // it exits on USR1: not a stop, so the policy restarts it
  assert.ok(await until(() => sb.ok(['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', 'alk']).trim() === '1 running', 10_000));
  const bad = sb.run(['run', '--rm', '--restart', 'always', ...NONE, 'busybox', 'true']);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /conflicting options: cannot specify both --restart and --rm/);
  sb.ok(['rm', '-f', 'onf', 'alw', 'okx', 'alk']);
});

test('a crash-looping --restart always container backs off (100 ms, doubled) and shows Restarting; stop, rm and a killed waiter end it', async () => {
  const since = String(Math.floor(Date.now() / 1000) - 1);
  const id = sb.runD(['--name', 'loop', ...NONE, '--restart', 'always', 'busybox', 'sh', '-c', 'exit 3']);
  const status = () => sb.ok(['inspect', '-f', '{{.State.Status}} {{.State.Running}} {{.State.Restarting}} {{.RestartCount}}', 'loop']).trim();
  const count = () => Number(status().split(' ')[3]);
  // by the fifth restart the wait is 1.6 s: it is seen waiting
  assert.ok(await until(() => /^restarting true true ([5-9]|\d\d)$/.test(status()), 20_000), status());
  // The checks below run at the start of a long wait (the sixth or later, 3.2 s and more: the
  // state is polled every 100 ms), and are checked to have fallen within it (the same count).
  const later = count() + 1;
  assert.ok(await until(() => status().startsWith('restarting') && count() >= later, 20_000), status());
  const before = status();
  // as docker: listed without -a, "Restarting (3) … ago", rm without -f and kill refused
  const row = sb.ok(['ps', '--filter', 'name=^loop$', '--format', '{{.Status}}']).trim();
  const rm = sb.run(['rm', 'loop']);
  const kill = sb.run(['kill', 'loop']);
  assert.equal(status(), before, 'the checks fell within one wait');
  assert.match(row, /^Restarting \(3\) .* ago$/);
  assert.notEqual(rm.code, 0);
  assert.match(rm.stderr, new RegExp(`You cannot remove a restarting container ${id}\\. Stop the container before attempting removal or force remove`));
  assert.match(kill.stderr, /is restarting, wait until the container is running/);
  // wait counts it as running too: it returns with the next run's exit
  assert.ok(await until(() => status().startsWith('restarting'), 20_000), status());
  assert.equal(sb.ok(['wait', 'loop']).trim(), '3');
  // Each start came at least the delay after the exit before it: 100 ms, 200, 400, …
  const events = sb
    .ok([
      'events',
      '--since',
      since,
      '--until',
      String(Math.ceil(Date.now() / 1000) + 1),
      '--filter',
      `container=${id}`,
      '--format',
      '{{.Action}} {{.TimeNano}}',
    ])
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([a]) => a === 'die' || a === 'start')
    .map(([a, t]) => ({ a, ms: Number(t) / 1e6 }));
  const gaps: number[] = [];
  for (let i = 1; i < events.length; i++) if (events[i - 1]!.a === 'die' && events[i]!.a === 'start') gaps.push(events[i]!.ms - events[i - 1]!.ms);
  assert.ok(gaps.length >= 4, JSON.stringify(events));
  gaps.forEach((g, i) => assert.ok(g >= 100 * 2 ** i - 5, `restart ${i + 1} came ${g} ms after the exit: ${gaps.join(', ')}`));
  // stop cancels the wait at once: stopped for good, and the waiting process goes
  assert.ok(await until(() => status().startsWith('restarting'), 20_000), status());
  sb.ok(['stop', 'loop']);
  const n = status().split(' ')[3];
  assert.equal(status(), `exited false false ${n}`);
  // no process is left for it: the waiter (conmon's exit command) ended, and the conmon that waited for it
  const holders = () =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(id);
        } catch {
          return false;
        }
      });
  assert.ok(await until(() => holders().length === 0, 5000), `still running for it: ${holders().join(' ')}`);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(status(), `exited false false ${n}`, 'restarted after stop');
  // a user's start re-arms the policy from 100 ms; rm -f while restarting removes it
  sb.ok(['start', 'loop']);
  assert.ok(await until(() => status().startsWith('restarting'), 20_000), status());
  sb.ok(['rm', '-f', 'loop']);
  assert.notEqual(sb.run(['inspect', 'loop']).code, 0);
  // a waiter killed (a reboot, an OOM kill) leaves a row that sync turns into a stopped one
  const id2 = sb.runD(['--name', 'loop2', ...NONE, '--restart', 'always', 'busybox', 'sh', '-c', 'exit 4']);
  const st2 = () => sb.ok(['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', 'loop2']).trim();
  assert.ok(await until(() => /^restarting ([5-9]|\d\d)$/.test(st2()), 30_000), st2());
  const [pid] = readFileSync(`${sb.root}/containers/${id2}/restarter`, 'utf8').split(' ');
  process.kill(Number(pid), 'SIGKILL');
  assert.ok(await until(() => st2().startsWith('exited'), 5000), st2());
  assert.match(sb.ok(['ps', '-a', '--filter', 'name=^loop2$', '--format', '{{.Status}}']), /^Exited \(4\)/);
  sb.ok(['rm', 'loop2']);
});

test("ps: -a, -q, --no-trunc, -f name= and status=, --format json, docker's columns", () => {
  const up = sb.runD(['--name', 'ps-up', ...NONE, 'busybox', 'sleep', '300']);
  sb.run(['run', '--name', 'ps-done', ...NONE, 'busybox', 'sh', '-c', 'exit 3']);
  const done = sb.id('ps-done');
  const lines = sb.ok(['ps']).trimEnd().split('\n');
  assert.match(lines[0]!, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
  assert.ok(lines.some((l) => l.startsWith(up.slice(0, 12)) && /\bUp\b/.test(l) && l.endsWith('ps-up')));
  assert.ok(!lines.some((l) => l.includes('ps-done')));
  const all = sb.ok(['ps', '-a']);
  // docker's quoting: an argument with a space in single quotes (`docker ps` shows "sh -c 'exit 3'")
  assert.match(all, new RegExp(`${done.slice(0, 12)}\\s+busybox\\s+"sh -c 'exit 3'"\\s+.*Exited \\(3\\) .* ago\\s+ps-done`));
  const q = sb.ok(['ps', '-a', '-q']).trim().split('\n');
  assert.ok(q.includes(up.slice(0, 12)) && q.includes(done.slice(0, 12)));
  assert.ok(q.every((x) => /^[a-f0-9]{12}$/.test(x)));
  assert.deepEqual(sb.ok(['ps', '-a', '-q', '--no-trunc', '-f', 'name=ps-done']).trim().split('\n'), [done]);
  assert.deepEqual(sb.ok(['ps', '-a', '-q', '-f', 'status=exited', '-f', 'name=ps-']).trim().split('\n'), [done.slice(0, 12)]);
  assert.deepEqual(sb.ok(['ps', '-q', '-f', 'status=running', '-f', 'name=ps-']).trim().split('\n'), [up.slice(0, 12)]);
  const js = sb
    .ok(['ps', '-a', '--format', 'json', '-f', 'name=ps-up'])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(js.length, 1);
  assert.equal(js[0].ID, up.slice(0, 12));
  assert.equal(js[0].Names, 'ps-up');
  assert.equal(js[0].Image, 'busybox');
  assert.equal(js[0].State, 'running');
  assert.match(js[0].Status, /^Up /);
  assert.equal(sb.ok(['ps', '-a', '--format', '{{.Names}}:{{.State}}', '-f', 'name=ps-done']).trim(), 'ps-done:exited');
  // `stop $(ps -a -q)` works
  sb.ok(['stop', '-t', '0', ...sb.ok(['ps', '-q', '-f', 'name=ps-']).trim().split('\n')]);
  sb.ok(['rm', 'ps-up', 'ps-done']);
});

test("inspect: docker's field names", () => {
  const id = sb.runD(['--name', 'insp', ...NONE, '-e', 'X=1', '-w', '/tmp', '--memory', '32m', 'busybox', 'sleep', '300']);
  const d = sb.inspect('insp');
  assert.equal(d.Id, id);
  assert.equal(d.Name, '/insp');
  assert.match(d.Created, /^\d{4}-\d\d-\d\dT/);
  assert.equal(d.Path, 'sleep');
  assert.deepEqual(d.Args, ['300']);
  for (const k of ['Status', 'Running', 'Paused', 'Pid', 'ExitCode', 'StartedAt', 'FinishedAt']) assert.ok(k in d.State, `State.${k}`);
  assert.ok(!Number.isNaN(Date.parse(d.State.StartedAt)));
  assert.match(d.Image, /^sha256:[a-f0-9]{64}$/);
  assert.equal(d.Config.Image, 'busybox');
  assert.deepEqual(d.Config.Cmd, ['sleep', '300']);
  assert.ok(d.Config.Env.includes('X=1'));
  assert.equal(d.Config.WorkingDir, '/tmp');
  assert.equal(d.Config.Hostname, id.slice(0, 12));
  assert.equal(d.HostConfig.NetworkMode, 'none');
  assert.equal(d.HostConfig.Memory, 32 * 1024 * 1024);
  assert.deepEqual(d.HostConfig.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  assert.deepEqual(d.Mounts, []);
  assert.ok(d.NetworkSettings && typeof d.NetworkSettings === 'object');
  assert.equal(sb.ok(['inspect', '-f', '{{.State.Running}} {{.HostConfig.NetworkMode}}', 'insp']).trim(), 'true none');
  assert.equal(sb.ok(['container', 'inspect', '--format', '{{.Name}}', id.slice(0, 12)]).trim(), '/insp');
  // its own pid, mount, uts, ipc and net namespaces; rlimits within the caller's hard limits
  for (const ns of ['pid', 'mnt', 'uts', 'ipc', 'net']) {
    assert.notEqual(readlinkSync(`/proc/${d.State.Pid}/ns/${ns}`), readlinkSync(`/proc/self/ns/${ns}`), ns);
  }
  const hard = (limits: string, name: string) =>
    limits
      .split('\n')
      .find((l) => l.startsWith(name))!
      .slice(26)
      .trim()
      .split(/\s+/)[1]!;
  const inside = sb.ok(['exec', 'insp', 'cat', '/proc/self/limits']);
  const mine = readFileSync('/proc/self/limits', 'utf8');
  for (const l of ['Max open files', 'Max processes']) {
    const h = hard(mine, l);
    if (h !== 'unlimited') assert.ok(Number(hard(inside, l)) <= Number(h), l);
  }
  sb.ok(['rm', '-f', 'insp']);
  // on the default bridge network: NetworkSettings names the network and the address eth0 has
  sb.runD(['--name', 'insp-br', 'busybox', 'sleep', '300']);
  const n = sb.inspect('insp-br').NetworkSettings;
  assert.equal(n.Networks.bridge.IPAddress, n.IPAddress);
  assert.match(n.IPAddress, /^\d+\.\d+\.\d+\.\d+$/);
  assert.match(sb.ok(['exec', 'insp-br', 'ip', '-4', 'addr', 'show', 'eth0']), new RegExp(`inet ${n.IPAddress.replace(/\./g, '\\.')}/`));
  sb.ok(['rm', '-f', 'insp-br']);
});

test('logs: stdout and stderr, --tail, -t, -f until exit; wait prints the exit code', () => {
  sb.runD(['--name', 'lg', ...NONE, 'busybox', 'sh', '-c', 'for i in 1 2 3 4; do echo out$i; sleep 0.2; done; echo oops >&2; exit 6']);
  // -f follows until the container exits
  const f = sb.run(['logs', '-f', 'lg'], { timeout: 15_000 });
  assert.equal(f.code, 0);
  assert.equal(f.stdout, 'out1\nout2\nout3\nout4\n');
  assert.equal(f.stderr, 'oops\n');
  assert.equal(sb.ok(['wait', 'lg']).trim(), '6');
  const tail = sb.run(['logs', '--tail', '2', 'lg']);
  assert.equal(tail.stdout, 'out4\n');
  assert.equal(tail.stderr, 'oops\n');
  const t = sb.run(['logs', '-t', 'lg']);
  assert.match(t.stdout.split('\n')[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z out1$/);
  // conmon wrote it in k8s-file format
  const file = readFileSync(sb.inspect('lg').LogPath, 'utf8').trim().split('\n');
  assert.equal(file.length, 5);
  assert.match(file[0]!, /^\S+ stdout F out1$/);
  assert.match(file[4]!, /^\S+ stderr F oops$/);
  sb.ok(['rm', 'lg']);
});

test('logs -f ends when the container is removed under it (rm -f, --rm)', async () => {
  sb.runD(['--name', 'lgrm', ...NONE, 'busybox', 'sh', '-c', 'echo started; exec sleep 300']);
  const child = spawn(BERTH, ['logs', '-f', 'lgrm'], { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const ended = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  assert.ok(await until(() => out.includes('started'), 10_000), out);
  sb.ok(['rm', '-f', 'lgrm']);
  const code = await Promise.race([ended, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
  if (code === 'hung') child.kill('SIGKILL');
  assert.equal(code, 0);
});

/** `berth wait NAME` in the background: its output, and whether it has returned yet. */
function waitInBackground(name: string) {
  const child = spawn(BERTH, ['wait', name], { env: sb.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let done = false;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = new Promise<number | null>((r) =>
    child.on('exit', (c) => {
      done = true;
      r(c);
    }),
  );
  return { code, out: () => out, done: () => done };
}

// the container exits when the test creates /tmp/go in it: no race with berth's start-up
const UNTIL_GO = ['sh', '-c', 'while [ ! -f /tmp/go ]; do sleep 0.1; done; exit 7'];

test('wait blocks until a running container exits', async () => {
  sb.runD(['--name', 'wt', ...NONE, 'busybox', ...UNTIL_GO]);
  const w = waitInBackground('wt');
  // the container cannot exit before /tmp/go exists: wait must still be waiting
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(w.done(), false, 'wait returned before the container exited');
  sb.ok(['exec', 'wt', 'touch', '/tmp/go']);
  assert.equal(await w.code, 0);
  assert.equal(w.out().trim(), '7');
  sb.ok(['rm', 'wt']);
});

test('wait on a --rm container reports its exit code, though the container is removed as it exits', async () => {
  sb.runD(['--rm', '--name', 'wtrm', ...NONE, 'busybox', ...UNTIL_GO]);
  const w = waitInBackground('wtrm');
  await new Promise((r) => setTimeout(r, 500));
  sb.ok(['exec', 'wtrm', 'touch', '/tmp/go']);
  assert.equal(await w.code, 0);
  assert.equal(w.out().trim(), '7');
  assert.ok(await until(() => !sb.ok(['ps', '-a', '--format', '{{.Names}}']).includes('wtrm'), 20_000), 'the --rm container stayed');
});

test("top lists the container's processes", () => {
  sb.runD(['--name', 'tp', ...NONE, 'busybox', 'sh', '-c', 'sleep 300 & sleep 301']);
  const lines = sb.ok(['top', 'tp']).trim().split('\n');
  assert.match(lines[0]!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
  assert.ok(lines.some((l) => l.endsWith('sleep 300')));
  assert.ok(lines.some((l) => l.endsWith('sleep 301')));
  sb.ok(['rm', '-f', 'tp']);
});

test('container prune removes only stopped containers', () => {
  const up = sb.runD(['--name', 'pr-up', ...NONE, 'busybox', 'sleep', '300']);
  sb.ok(['run', '--name', 'pr-done', ...NONE, 'busybox', 'true']);
  const done = sb.id('pr-done');
  const out = sb.ok(['container', 'prune', '-f']);
  assert.match(out, new RegExp(done));
  assert.doesNotMatch(out, new RegExp(up));
  assert.equal(sb.run(['inspect', 'pr-done']).code, 1);
  assert.equal(state('pr-up'), 'running 0');
  sb.ok(['rm', '-f', 'pr-up']);
});

test('bad input: unknown container, missing image, 127, 126, bad flags', () => {
  const before = sb.ok(['ps', '-aq']);
  for (const args of [
    ['stop', 'nosuch'],
    ['start', 'nosuch'],
    ['rm', 'nosuch'],
    ['logs', 'nosuch'],
    ['kill', 'nosuch'],
    ['wait', 'nosuch'],
  ]) {
    const r = sb.run(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, /No such container: nosuch/, args.join(' '));
  }
  const e = sb.run(['exec', 'nosuch', 'true']);
  assert.equal(e.code, 125);
  assert.match(e.stderr, /No such container: nosuch/);
  const img = sb.run(['run', ...NONE, 'nosuchimage', 'true']);
  assert.equal(img.code, 125);
  assert.match(img.stderr, /No such image|Unable to find image/i);
  const nf = sb.run(['run', '--name', 'c127', ...NONE, 'busybox', 'nosuchcmd']);
  assert.equal(nf.code, 127);
  assert.match(nf.stderr, /"nosuchcmd": executable file not found in \$PATH/);
  const nx = sb.run(['run', '--name', 'c126', ...NONE, 'busybox', '/etc/passwd']);
  assert.equal(nx.code, 126);
  assert.match(nx.stderr, /permission denied/);
  // the failed containers hold nothing: not running, no mount, no cgroup
  for (const n of ['c127', 'c126']) {
    const id = sb.id(n);
    assert.equal(sb.inspect(n).State.Running, false);
    assert.equal(existsSync(`/sys/fs/cgroup/memory/berth/${id}`), false);
    assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(id));
  }
  sb.ok(['rm', 'c127', 'c126']);
  // --rm: the failed start removes the container (the engine does, as dockerd)
  for (const detach of [[], ['-d']]) {
    const rm = sb.run(['run', ...detach, '--rm', ...NONE, 'busybox', 'nosuchcmd']);
    assert.equal(rm.code, 127, rm.stderr);
  }
  assert.equal(sb.ok(['ps', '-aq']), before);
  const bf = sb.run(['run', '--bogus-flag', 'busybox', 'true']);
  assert.equal(bf.code, 125);
  const badRestart = sb.run(['run', '--restart', 'sometimes', ...NONE, 'busybox', 'true']);
  assert.equal(badRestart.code, 125);
  assert.equal(sb.ok(['ps', '-aq']), before);
});
