/**
 * The suite's private dockerd leaves a Docker already running on the machine alone (issue 16): it
 * gets a bridge of its own instead of `--bridge none` (which makes dockerd delete the host's
 * docker0). A bridge made here, with an address, stands in for the host's docker0 (a real one is
 * not created: this test must not touch the host's own interfaces); it must come out of the
 * daemon's start, use and stop exactly as it went in, and so must the real docker0 if the machine
 * has one. The daemon's default network must be its own bridge, which containers use and which
 * is gone after stop(), also after a start that failed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { addressesOf, createBridge, linkExists, removeBridge, uniqueLinkName } from './private-bridge.js';
import { TestDockerd } from './dockerd.js';
import { capture } from './engine-checks.js';
import { NEEDS_ROOT } from '../helpers/tools.js';

const skip = NEEDS_ROOT;
let standIn: ReturnType<typeof createBridge> | undefined;
let d: TestDockerd | undefined;

/** A link's existence and IPv4 addresses: what "exactly as before" means for a bridge. */
const stateOf = (name: string) => ({ exists: linkExists(name), addresses: linkExists(name) ? addressesOf(name) : [] });

before(() => {
  if (skip) return;
  standIn = createBridge(uniqueLinkName('hd'));
});
after(async () => {
  try {
    if (d) await d.stop();
  } finally {
    if (standIn) removeBridge(standIn.name);
  }
});

test("a private dockerd runs on a bridge of its own; the host's bridges (a stand-in, docker0 if any) come out untouched", { skip }, async () => {
  const host = stateOf(standIn!.name);
  const docker0 = stateOf('docker0');
  assert.deepEqual(host, { exists: true, addresses: [`${standIn!.gateway}/24`] });

  d = new TestDockerd('berth-dbr');
  await d.start();
  assert.ok(linkExists(d.bridge), `the daemon's bridge ${d.bridge} exists while it runs`);
  const [gateway] = addressesOf(d.bridge);
  assert.match(gateway ?? '', /^(10|172|192)\.\d+\.\d+\.1\/24$/);
  // Its default network is that bridge (with --bridge none there would be no "bridge" network).
  const net = await d.engine.networks.inspect('bridge');
  assert.equal(net.options['com.docker.network.bridge.name'], d.bridge);
  await d.importBusybox();
  const io = capture();
  const { id } = await d.engine.containers.create({ image: 'busybox', cmd: ['ip', '-o', '-4', 'addr', 'show', 'eth0'] });
  assert.equal(await d.engine.containers.startAttached(id, io), 0, io.err());
  const prefix = gateway!.split('.').slice(0, 3).join('.');
  assert.match(
    io.out(),
    new RegExp(`inet ${prefix.replace(/\./g, '\\.')}\\.\\d+/24`),
    'a container on the default network gets an address on the private bridge',
  );
  await d.engine.containers.remove(id, { force: true });
  assert.deepEqual(stateOf(standIn!.name), host, 'the stand-in is as it was while the daemon runs');

  const bridge = d.bridge;
  const dir = d.dir;
  await d.stop();
  d = undefined;
  assert.equal(linkExists(bridge), false, "stop() removes the daemon's bridge");
  assert.equal(existsSync(dir), false);
  assert.deepEqual(stateOf(standIn!.name), host, 'the stand-in is as it was after the daemon stopped');
  assert.deepEqual(stateOf('docker0'), docker0, 'docker0 (the real one, if the machine has it) is as it was');
});

test("a start that fails removes the bridge it made (and the daemon's directory)", { skip }, async () => {
  const failing = new TestDockerd('berth-dbrf');
  await assert.rejects(failing.start(['--no-such-flag']), /dockerd did not start/);
  assert.equal(linkExists(failing.bridge), false);
  assert.equal(existsSync(failing.dir), false);
  assert.deepEqual(stateOf(standIn!.name).exists, true);
});
