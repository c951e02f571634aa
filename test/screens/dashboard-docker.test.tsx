/**
 * The new views on the Docker backend, through the same engine API: a private dockerd, the
 * dashboard on it as a -H host. The events view shows a kill with its exit code, and an action's
 * status line gives the `berth -H …` command; a container the restart policy restarts shows its
 * count (the list has none: inspected for containers that started after their creation).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { TestDockerd } from '../docker/dockerd.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { singleHost } from '../../src/screens/hosts.js';

const skip = NEEDS_ROOT;
let d: TestDockerd;
let h: Harness | undefined;

before(async () => {
  if (skip) return;
  d = new TestDockerd();
  await d.start();
  await d.importBusybox();
  const { id } = await d.engine.containers.create({ image: 'busybox:latest', name: 'ev1', cmd: ['sleep', '300'], network: 'none' });
  await d.engine.containers.start(id);
});
after(async () => {
  h?.unmount();
  if (d) {
    for (const name of ['ev1', 'rs1']) await d.engine.containers.remove(name, { force: true }).catch(() => undefined);
    await d.stop();
  }
});

test('events and the berth -H command on a Docker host', { skip }, async () => {
  const hosts = singleHost(d.engine, d.host, { name: 'docker', local: false });
  h = await renderDashboard({ hosts, initialHost: 'docker', columns: 160, rows: 30 });
  await h.waitFor('ev1 listed', (f) => /^ev1 .*running/m.test(f), 30_000);
  await h.press('v');
  await d.engine.containers.kill('ev1', 'SIGKILL');
  await h.waitFor('the kill and the die with its exit code', (f) => /container\s+kill\s+ev1/.test(f) && /container\s+die\s+ev1\s+exitCode=137/.test(f), 30_000);
  await h.press(KEY.esc);
  await h.waitFor('ev1 exited', (f) => /^ev1 .*exited \(137\)/m.test(f), 30_000);
  await h.press('S');
  await h.waitFor('the start and its command', (f) => f.includes(`Started ev1  $ berth -H ${d.host} start ev1`), 30_000);
  assert.equal((await d.engine.containers.inspect('ev1')).State.Running, true);
});

test('restart counts on a Docker host: RESTARTS from inspect for a container the policy restarted', { skip }, async () => {
  const { id } = await d.engine.containers.create({
    image: 'busybox:latest',
    name: 'rs1',
    cmd: ['sh', '-c', 'sleep 3; exit 3'],
    network: 'none',
    restartPolicy: { name: 'always', maximumRetryCount: 0 },
  });
  await d.engine.containers.start(id);
  // Two restarts: the second run starts long enough after creation for the list to tell.
  const deadline = Date.now() + 60_000;
  while ((await d.engine.containers.inspect(id)).RestartCount < 2) {
    if (Date.now() > deadline) assert.fail('docker did not restart rs1 twice in 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  h?.unmount();
  const hosts = singleHost(d.engine, d.host, { name: 'docker', local: false });
  h = await renderDashboard({ hosts, initialHost: 'docker', columns: 160, rows: 30 });
  // The figure under the RESTARTS header on rs1's row.
  const restartsCell = (f: string): number => {
    const lines = f.split('\n');
    const head = lines.find((l) => l.includes('RESTARTS'));
    const row = lines.find((l) => /^\S?\s*rs1 /.test(l));
    if (!head || !row) return 0;
    const at = head.indexOf('RESTARTS');
    return Number(/\d+/.exec(row.slice(at - 2, at + 'RESTARTS'.length + 1))?.[0] ?? 0);
  };
  await h.waitFor('the RESTARTS column with rs1 counted', (f) => restartsCell(f) >= 2, 60_000);
  const row = (await d.engine.containers.list({ all: true, restartCounts: true })).find((c) => c.names.includes('rs1'))!;
  const inspected = (await d.engine.containers.inspect(id)).RestartCount;
  assert.ok(row.restartCount !== undefined && row.restartCount >= 2 && row.restartCount <= inspected, `list ${row.restartCount}, inspect ${inspected}`);
  // ev1, run once and never restarted, costs no inspect and has no count.
  assert.equal((await d.engine.containers.list({ all: true, restartCounts: true })).find((c) => c.names.includes('ev1'))?.restartCount, undefined);
  // `ps` (no restartCounts asked) costs no inspect and has none.
  assert.equal((await d.engine.containers.list({ all: true })).find((c) => c.names.includes('rs1'))?.restartCount, undefined);
  await d.engine.containers.remove(id, { force: true });
});
