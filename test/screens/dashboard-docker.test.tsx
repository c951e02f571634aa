/**
 * The new views on the Docker backend, through the same engine API: a private dockerd, the
 * dashboard on it as a -H host. The events view shows a kill with its exit code, and an action's
 * status line gives the `berth -H …` command.
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
    await d.engine.containers.remove('ev1', { force: true }).catch(() => undefined);
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
