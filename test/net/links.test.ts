/**
 * Interfaces as seen from berth's own network namespace. Under `nsenter --net` sysfs still
 * shows the namespace it was mounted in: the default bridge looked missing there, was
 * re-planned onto a new subnet, and the CNI plugin refused the bridge's old address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { NEEDS_ROOT } from '../helpers/tools.js';

const links = new URL('../../src/net/links.js', import.meta.url).href;

test('linkKind and linkExists answer for the namespace the process runs in, not sysfs', { skip: NEEDS_ROOT }, () => {
  const probe = `const l = await import(${JSON.stringify(links)});
    const out = {};
    for (const d of ['bltest0', 'vltest0', 'lo', 'nolink0']) out[d] = [await l.linkKind(d) ?? null, await l.linkExists(d)];
    console.log(JSON.stringify(out));`;
  // A namespace of the probe's own (unshare, not `ip netns add`: that leaves /run/netns mounted
  // on a host that had no named namespace before), gone with it: nothing to clean up.
  const script = 'ip link add bltest0 type bridge && ip link add vltest0 type veth peer name vltest1 && exec "$0" --input-type=module -e "$1"';
  const out = execFileSync('unshare', ['--net', 'sh', '-c', script, process.execPath, probe], { encoding: 'utf8' });
  // the scenario: sysfs (the host's) does not show the namespace's bridge
  assert.equal(existsSync('/sys/class/net/bltest0'), false);
  assert.deepEqual(JSON.parse(out), {
    bltest0: ['bridge', true],
    vltest0: ['veth', true],
    lo: ['', true],
    nolink0: [null, false],
  });
});
