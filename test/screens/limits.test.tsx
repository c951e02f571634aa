/** `u`: live limits of a running container, prefilled from inspect, applied through containers.update. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { limitsFields, parseLimits, parseSize, sizeText } from '../../src/screens/limits-form.js';
import { FakeEngine } from '../fakes/fake-engine.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const find = (e: FakeEngine, name: string) => [...e.containersById.values()].find((c) => c.name === name)!;
const MiB = 1024 * 1024;

test('u opens the form prefilled from inspect; a new memory limit is applied in place', async () => {
  h = await renderDashboard({ columns: 120, rows: 30 });
  await h.press('j', 'j'); // web
  await h.press('u');
  await h.waitFor('the limits form', (f) => f.includes('Live limits of web'));
  const f = h.frame();
  assert.match(f, /memory \(e\.g\. 512m\): 256m/);
  assert.match(f, /CPUs \(e\.g\. 1\.5\): 1/);
  assert.match(f, /pids limit \(-1 = unlimited\): 100/);
  assert.match(f, /restart \(.*\): no/);
  await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, '1', '2', '8', 'm');
  await h.press(KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.backspace, KEY.backspace, ...'always', KEY.enter);
  await h.waitFor('the update result', (x) => x.includes('Updated web  $ berth update --memory 128m --restart always web'));
  const calls = h.engine.callsTo('containers.update');
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]!.args[1], { memory: 128 * MiB, restartPolicy: { name: 'always' } });
  assert.equal(find(h.engine, 'web').memory, 128 * MiB);
  await h.tick(2);
  await h.waitFor('the new limit on the row', (x) => /\/ 128MiB/.test(x.split('\n').find((l) => l.startsWith('web ')) ?? ''));
});

test('bad input stays in the form with the reason; an engine refusal reaches the status line', async () => {
  h = await renderDashboard({ columns: 170, rows: 30 });
  await h.press('j', 'j', 'u');
  await h.waitFor('the limits form', (f) => f.includes('Live limits of web'));
  await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, ...'lots', KEY.enter);
  assert.match(h.frame(), /memory: lots is not a size/);
  assert.equal(h.engine.callsTo('containers.update').length, 0);
  // memory+swap below memory: the engine says no, nothing changes.
  await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, ...'64m', KEY.tab, KEY.backspace, KEY.backspace, ...'32m', KEY.enter);
  await h.waitFor('the refusal', (f) => /Error: Minimum memoryswap limit.*\$ berth update --memory 64m --memory-swap 32m web/.test(f));
  assert.equal(find(h.engine, 'web').memory, 256 * MiB);
});

test('a stopped container has no live limits', async () => {
  h = await renderDashboard({ columns: 120 });
  await h.press('j', 'u'); // old-job
  assert.match(h.frame(), /old-job is not running/);
});

test('sizes and fields', () => {
  assert.equal(parseSize('512m'), 512 * MiB);
  assert.equal(parseSize('1.5g'), 1.5 * 1024 * MiB);
  assert.equal(parseSize('100'), 100);
  assert.equal(parseSize('ten'), undefined);
  assert.equal(sizeText(2 * 1024 * MiB), '2g');
  assert.equal(sizeText(1536 * 1024), '1536k');
  const fields = limitsFields({
    HostConfig: { Memory: 0, MemorySwap: 0, NanoCpus: 1.5e9, PidsLimit: 0, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
  } as never);
  assert.deepEqual(
    fields.map((f) => f.initial),
    ['', '', '1.5', '', 'on-failure:3'],
  );
  const values = Object.fromEntries(fields.map((f) => [f.id, f.initial ?? '']));
  assert.deepEqual(parseLimits(values, fields), { error: 'nothing changed' });
  assert.deepEqual(parseLimits({ ...values, pids: '-1', cpus: '0.5' }, fields), {
    opts: { nanoCpus: 5e8, pidsLimit: -1 },
    flags: ['--cpus', '0.5', '--pids-limit', '-1'],
  });
  assert.match((parseLimits({ ...values, restart: 'always:3' }, fields) as { error: string }).error, /restart/);
  assert.match((parseLimits({ ...values, memory: '1m' }, fields) as { error: string }).error, /at least 6m/);
});
