/**
 * docker-py (Debian's python3-docker) against `berth system service`: the streaming edges —
 * attach with stdin, exec with and without a tty, events with filters, a stats stream, logs
 * follow — and `berth system dial-stdio` carrying one API connection over stdin/stdout.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Sandbox, BERTH } from '../helpers/berth.js';
import { Service } from '../helpers/service.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { Demuxer } from '../../src/api/stdcopy.js';
import { dockerPy } from './clients.js';

describe('docker-py through berth system service', { skip: NEEDS_ROOT, timeout: 600_000 }, () => {
  let box: Sandbox;
  let svc: Service;
  before(async () => {
    box = new Sandbox('berth-api-py');
    box.ok(['import', busyboxTarball(), 'busybox']);
    svc = await new Service(box).start();
  });
  after(async () => {
    await svc?.stop();
    box?.dispose();
  });

  it('attach with stdin: what the client sends reaches the process, its half-close ends it', () => {
    const r = dockerPy(
      svc,
      `
c = client.containers.create('busybox', ['sh', '-c', 'read a; echo got:$a; read b || echo eof'], stdin_open=True, name='catty')
s = c.attach_socket(params={'stdin': 1, 'stdout': 1, 'stderr': 1, 'stream': 1})
c.start()
sock = s._sock
sock.sendall(b'hello\\n')
import socket as so
sock.shutdown(so.SHUT_WR)
data = b''
while True:
    chunk = sock.recv(4096)
    if not chunk: break
    data += chunk
code = c.wait(timeout=60)['StatusCode']
out = c.logs().decode()
c.remove()
# strip docker's 8-byte frame headers
frames = []
i = 0
while i + 8 <= len(data):
    n = int.from_bytes(data[i+4:i+8], 'big'); frames.append((data[i], data[i+8:i+8+n].decode())); i += 8 + n
print(json.dumps({'code': code, 'frames': frames, 'logs': out}))
`,
    );
    assert.equal(r.code, 0);
    assert.equal(r.frames.map((f: [number, string]) => f[1]).join(''), 'got:hello\neof\n');
    assert.ok(r.frames.every((f: [number, string]) => f[0] === 1));
    assert.equal(r.logs, 'got:hello\neof\n');
  });

  it('containers.list: running only by default (docker-py sends limit=-1), all=True and limit=1 add the stopped', () => {
    const r = dockerPy(
      svc,
      `
up = client.containers.run('busybox', ['sleep', '300'], detach=True, name='listed-up')
down = client.containers.run('busybox', ['true'], detach=True, name='listed-down')
down.wait(timeout=60)
names = lambda cs: sorted(c.name for c in cs if c.name.startswith('listed-'))
res = {'default': names(client.containers.list()), 'all': names(client.containers.list(all=True)), 'limit1': names(client.containers.list(limit=1))}
up.remove(force=True); down.remove()
print(json.dumps(res))
`,
    );
    assert.deepEqual(r.default, ['listed-up']);
    assert.deepEqual(r.all, ['listed-down', 'listed-up']);
    assert.deepEqual(r.limit1, ['listed-down']); // the newest, whatever its state, as docker's ps -n 1
  });

  it("prune_builds answers docker's report (the last step of docker system prune)", () => {
    const r = dockerPy(svc, `print(json.dumps(client.api.prune_builds()))`);
    assert.deepEqual(r, { CachesDeleted: [], SpaceReclaimed: 0 });
  });

  it('20 docker-py clients at once: create, start, stop and remove lose nothing and leave nothing', () => {
    const r = dockerPy(
      svc,
      `
import threading
errs, done = [], []
def work(i):
    try:
        c = docker.from_env(version='1.41', timeout=300).containers.create('busybox', ['sleep', '300'], name='par%d' % i)
        c.start()
        c.reload()
        running = c.status
        c.stop(timeout=1)
        c.reload()
        stopped = c.status
        c.remove()
        done.append([running, stopped])
    except Exception as e:
        errs.append(repr(e))
ts = [threading.Thread(target=work, args=(i,)) for i in range(20)]
for t in ts: t.start()
for t in ts: t.join()
left = [c.name for c in client.containers.list(all=True) if c.name.startswith('par')]
print(json.dumps({'errs': errs, 'done': done, 'left': left}))
`,
      600_000,
    );
    assert.deepEqual(r.errs, []);
    assert.equal(r.done.length, 20);
    assert.ok(
      r.done.every(([a, b]: [string, string]) => a === 'running' && b === 'exited'),
      JSON.stringify(r.done),
    );
    assert.deepEqual(r.left, []);
    assert.equal(box.ok(['ps', '-aq']), '');
  });

  it("containers.run() returns the output: the default log driver reads as json-file to docker's clients", () => {
    const r = dockerPy(
      svc,
      `
out = client.containers.run('busybox', ['sh', '-c', 'echo hello; echo world'], remove=True)
c = client.containers.create('busybox', ['true'], name='logtype')
t = client.api.inspect_container('logtype')['HostConfig']['LogConfig']['Type']
c.remove()
print(json.dumps({'out': out.decode(), 'type': t}))
`,
    );
    assert.deepEqual(r, { out: 'hello\nworld\n', type: 'json-file' });
    assert.equal(box.ok(['ps', '-aq']), '');
  });

  it("a bare env NAME is kept as sent, never filled from the service's own environment", () => {
    // BERTH_ROOT is set in the service's environment (the sandbox's state root)
    const r = dockerPy(
      svc,
      `
out = client.containers.run('busybox', ['sh', '-c', 'env; echo; echo exec; true'], environment=['BERTH_ROOT', 'Other=one', 'Blank='], name='bare-env', detach=True)
code = out.wait(timeout=60)['StatusCode']
logs = out.logs().decode()
env = client.api.inspect_container('bare-env')['Config']['Env']
out.remove()
print(json.dumps({'code': code, 'logs': logs, 'env': env}))
`,
    );
    assert.equal(r.code, 0);
    assert.ok(r.env.includes('BERTH_ROOT') && r.env.includes('Other=one') && r.env.includes('Blank='), JSON.stringify(r.env));
    assert.doesNotMatch(r.logs, /BERTH_ROOT/);
    assert.match(r.logs, /^Other=one$/m);
  });

  it('exec with and without a tty, with its exit code in exec inspect', () => {
    const r = dockerPy(
      svc,
      `
c = client.containers.run('busybox', ['sleep', '300'], detach=True, name='execy')
plain = c.exec_run(['sh', '-c', 'echo out; echo err >&2; exit 3'], demux=True)
tty = c.exec_run(['sh', '-c', 'tty; echo $TERM_X'], tty=True, environment={'TERM_X': 'set'})
api = client.api
e = api.exec_create(c.id, ['sh', '-c', 'exit 9'])
api.exec_start(e['Id'])
ins = api.exec_inspect(e['Id'])
# a terminal made at create, a start without Tty: the terminal's output comes in stdout frames
t = api.exec_create(c.id, ['sh', '-c', 'tty; echo err >&2'], tty=True)
framed = api.exec_start(t['Id'], tty=False, demux=True)
c.remove(force=True)
print(json.dumps({'plain': [plain.exit_code, plain.output[0].decode(), plain.output[1].decode()], 'tty': [tty.exit_code, tty.output.decode()], 'ins': [ins['ExitCode'], ins['Running'], ins['ContainerID'] == c.id],
  'framed': [framed[0].decode(), framed[1]]}))
`,
    );
    assert.match(r.framed[0], /^\/dev\/pts\/\d+\r\nerr\r\n$/);
    assert.equal(r.framed[1], null);
    assert.deepEqual(r.plain, [3, 'out\n', 'err\n']);
    assert.equal(r.tty[0], 0);
    assert.match(r.tty[1], /^\/dev\/pts\/\d+\r\nset\r\n$/);
    assert.deepEqual(r.ins, [9, false, true]);
  });

  it('events with filters, a stats stream, logs follow', () => {
    const r = dockerPy(
      svc,
      `
import threading
since = time.time() - 1
c = client.containers.run('busybox', ['sh', '-c', 'for i in 1 2 3; do echo n$i; sleep 0.3; done; sleep 300'], detach=True, name='streamy', labels={'role': 'py'})
lines = []
for l in c.logs(stream=True, follow=True):
    lines.append(l.decode())
    if 'n3' in ''.join(lines): break
stats = []
for s in c.stats(stream=True, decode=True):
    stats.append(s)
    if len(stats) == 2: break
c.stop(timeout=1)
c.remove()
evs = [e for e in client.events(since=since, until=time.time() + 1, decode=True, filters={'type': 'container', 'label': 'role=py'})]
other = [e for e in client.events(since=since, until=time.time() + 1, decode=True, filters={'event': 'destroy', 'container': 'streamy'})]
s2 = stats[1]
print(json.dumps({
  'logs': ''.join(lines),
  'stats': [s2['cpu_stats']['online_cpus'] > 0, s2['cpu_stats']['system_cpu_usage'] >= s2['precpu_stats']['system_cpu_usage'] > 0, 'inactive_file' in s2['memory_stats']['stats'], s2['memory_stats']['usage'] > 0, s2['pids_stats']['current'] >= 1, 'eth0' in s2['networks'], s2['name']],
  'actions': [e['Action'] for e in evs],
  'attrs': evs[0]['Actor']['Attributes'] if evs else {},
  'other': [(e['Action'], e['Actor']['Attributes'].get('name')) for e in other],
}))
`,
    );
    assert.equal(r.logs, 'n1\nn2\nn3\n');
    assert.deepEqual(r.stats, [true, true, true, true, true, true, '/streamy']);
    for (const a of ['create', 'start', 'die', 'destroy']) assert.ok(r.actions.includes(a), `${a} in ${r.actions}`);
    assert.equal(r.attrs.role, 'py');
    assert.equal(r.attrs.name, 'streamy');
    assert.deepEqual(r.other, [['destroy', 'streamy']]);
  });

  it('berth system dial-stdio serves one connection over stdin and stdout', async () => {
    const child = spawn(BERTH, ['system', 'dial-stdio'], { env: box.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = Buffer.alloc(0);
    child.stdout.on('data', (d: Buffer) => (out = Buffer.concat([out, d])));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    const body = JSON.stringify({ Image: 'busybox', Cmd: ['true'] });
    child.stdin.write(`GET /v1.41/_ping HTTP/1.1\r\nHost: berth\r\n\r\n`);
    child.stdin.write(
      `POST /v1.41/containers/create?name=stdio1 HTTP/1.1\r\nHost: berth\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    // the list only after the create was answered (node answers pipelined requests in order
    // but runs them at once)
    while (!out.toString().includes('201 Created')) await new Promise((r) => setTimeout(r, 50));
    child.stdin.write(`GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n`);
    child.stdin.end();
    const code = await exited;
    assert.equal(code, 0);
    const text = out.toString();
    assert.equal(text.match(/HTTP\/1\.1 \d{3} /g)?.length, 3, text);
    assert.match(text, /HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nOK/);
    assert.match(text, /HTTP\/1\.1 201 Created/);
    assert.match(text, /"Names":\["\/stdio1"\]/);
    box.ok(['rm', 'stdio1']);
    // the framing helper the tests use decodes what the server frames
    const frames: string[] = [];
    new Demuxer((s, d) => frames.push(`${s}:${d}`)).push(Buffer.from([1, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69]));
    assert.deepEqual(frames, ['1:hi']);
  });
});
