import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox, sleep } from './helpers.js';
import { waitFor } from '../helpers/wait.js';
import { readLogs, parseK8sLine, parseTimeArg } from '../../src/engine/runtime/index.js';
import type { LogLine } from '../../src/engine/api.js';
import { isEngineError } from '../../src/engine/errors.js';

const sb = new Sandbox();
const dir = mkdtempSync(join(tmpdir(), 'berth-rt-logs-'));
after(async () => {
  await sb.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function all(it: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of it) out.push(l);
  return out;
}

const ts = (i: number) => `2026-01-01T00:00:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}000000+00:00`;

test('k8s-file lines parse; malformed ones are skipped', () => {
  assert.deepEqual(parseK8sLine('2026-01-02T03:04:05.123456789+00:00 stdout F hello world'), {
    stream: 'stdout',
    time: '2026-01-02T03:04:05.123456789Z',
    text: 'hello world',
    complete: true,
    ns: 1767323045123456789n,
  });
  assert.equal(parseK8sLine('2026-01-02T05:04:05.5+02:00 stderr P part')!.time, '2026-01-02T03:04:05.500000000Z');
  assert.equal(parseK8sLine('2026-01-02T03:04:05Z stdout F ')!.text, '');
  assert.equal(parseK8sLine('garbage'), undefined);
  assert.equal(parseK8sLine('2026-01-02T03:04:05Z stdin F x'), undefined);
  assert.equal(parseTimeArg('1700000000.5'), 1700000000500000000n);
  assert.equal(parseTimeArg('2026-01-02'), BigInt(new Date(2026, 0, 2).getTime()) * 1_000_000n); // no zone: local time, as docker
  assert.equal(parseTimeArg('10m', 1_000_000), BigInt(1_000_000 - 600_000) * 1_000_000n);
  assert.equal(parseTimeArg('1h30m', 10_000_000), BigInt(10_000_000 - 5_400_000) * 1_000_000n);
});

test('tail reads the last records of a big log (across chunk boundaries), partial records kept', async () => {
  const f = join(dir, 'big.log');
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(`${ts(i)} ${i % 2 ? 'stderr' : 'stdout'} F line ${i} ${'x'.repeat(i % 50)}`);
  lines.push(`${ts(20000)} stdout P part-`);
  lines.push(`${ts(20001)} stdout F end`);
  writeFileSync(f, lines.join('\n') + '\n' + `${ts(20002)} stdout F unterminated`);
  const last = await all(readLogs(f, { tail: 3 }));
  assert.deepEqual(
    last.map((l) => [l.text.split(' ').slice(0, 2).join(' '), l.stream, l.complete]),
    [
      ['line 19999', 'stderr', true],
      ['part-', 'stdout', false],
      ['end', 'stdout', true],
    ],
  );
  const t0 = performance.now();
  const l1 = await all(readLogs(f, { tail: 1 }));
  console.log(`tail 1 of a ${((20000 * 60) / 1e6).toFixed(1)} MB log: ${(performance.now() - t0).toFixed(2)} ms`);
  assert.equal(l1[0]!.text, 'end');
  assert.equal((await all(readLogs(f))).length, 20002);
  assert.equal((await all(readLogs(f, { tail: 0 }))).length, 0);
  assert.equal((await all(readLogs(f, { tail: 100000 }))).length, 20002);
  // since/until (with tail: the last N of the matching ones).
  const win = await all(readLogs(f, { since: '2026-01-01T00:00:05Z', until: '2026-01-01T00:00:05.004Z' }));
  assert.deepEqual(
    win.map((l) => l.text.split(' ')[1]),
    ['5000', '5001', '5002', '5003', '5004'],
  );
  const winTail = await all(readLogs(f, { since: '2026-01-01T00:00:05Z', until: '2026-01-01T00:00:05.004Z', tail: 2 }));
  assert.deepEqual(
    winTail.map((l) => l.text.split(' ')[1]),
    ['5003', '5004'],
  );
  await assert.rejects(
    () => all(readLogs(f, { since: 'yesterday-ish' })),
    (e: unknown) => isEngineError(e, 'invalid'),
  );
  assert.deepEqual(await all(readLogs(join(dir, 'missing.log'))), []);
});

test('follow: new records as they are written, until done; abort ends it too', async () => {
  const f = join(dir, 'follow.log');
  writeFileSync(f, `${ts(1)} stdout F one\n`);
  let finished = false;
  const seen: string[] = [];
  const reader = (async () => {
    for await (const l of readLogs(f, { follow: true, tail: 1, done: () => finished, pollMs: 50 })) seen.push(l.text);
  })();
  await waitFor('the last record already there', () => seen.length >= 1);
  appendFileSync(f, `${ts(2)} stdout F two\n${ts(3)} stdout F thr`);
  await waitFor('the appended record', () => seen.length >= 2);
  assert.deepEqual(seen, ['one', 'two']); // the unterminated record waits
  appendFileSync(f, `ee\n`);
  finished = true;
  await reader;
  assert.deepEqual(seen, ['one', 'two', 'three']);

  const ac = new AbortController();
  const r2 = all(readLogs(f, { follow: true, tail: 0, done: () => false, signal: ac.signal }));
  await sleep(50);
  ac.abort();
  assert.deepEqual(await r2, []);
});

test('follow a running container until it exits', async () => {
  const c = await sb.run({ args: ['sh', '-c', 'for i in 1 2 3; do echo n$i; sleep 0.2; done; echo bye >&2'] });
  const got = await all(readLogs(sb.logPath(c.id), { follow: true, exitFile: sb.exitFile(c.id) }));
  assert.deepEqual(
    got.map((l) => `${l.stream}:${l.text}`),
    ['stdout:n1', 'stdout:n2', 'stdout:n3', 'stderr:bye'],
  );
});
