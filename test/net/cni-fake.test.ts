/**
 * CNI invocation protocol against fake plugins (shell scripts that log what they were given):
 * order on ADD and reverse on DEL, prevResult chaining, runtimeConfig only for declared
 * capabilities, CNI_ARGS, error objects, and the undo of a failed ADD.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addList, delList } from '../../src/net/cni.js';
import { buildConfList } from '../../src/net/cni-config.js';
import { NetError, netPaths, planNetwork } from '../../src/net/index.js';

let dir = '';
const log = () =>
  readFileSync(join(dir, 'log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { p: string; cmd: string; args: string; ifname: string; stdin: Record<string, unknown> });

// Each fake logs {plugin, command, args, stdin} and answers with a result naming itself.
const fake = (name: string, body = '') => `#!/bin/sh
in=$(cat)
printf '{"p":"${name}","cmd":"%s","args":"%s","ifname":"%s","stdin":%s}\\n' "$CNI_COMMAND" "$CNI_ARGS" "$CNI_IFNAME" "$in" >> "${'$'}{LOG}"
${body}
[ "$CNI_COMMAND" = ADD ] && echo '{"cniVersion":"1.0.0","interfaces":[{"name":"${name}"}],"ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.1","interface":0}]}'
exit 0
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-net-fakecni-'));
  writeFileSync(join(dir, 'log'), '');
  for (const [n, body] of [
    ['one', ''],
    ['two', ''],
    ['bad', 'if [ "$CNI_COMMAND" = ADD ]; then echo \'{"cniVersion":"1.0.0","code":11,"msg":"boom","details":"more"}\'; exit 1; fi'],
  ] as const) {
    const p = join(dir, n);
    writeFileSync(p, fake(n, body).replace('${LOG}', join(dir, 'log')));
    chmodSync(p, 0o755);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

const list = (plugins: object[]) => ({ cniVersion: '1.0.0', name: 'berth-test', plugins: plugins as { type: string }[] });

test('ADD in order with prevResult; runtimeConfig only for declared capabilities; DEL in reverse', async () => {
  writeFileSync(join(dir, 'log'), '');
  const l = list([{ type: 'one', capabilities: { portMappings: true } }, { type: 'two' }]);
  const call = { containerId: 'c1', netns: '/x', ifname: 'eth1', args: { IP: '10.0.0.9' }, capabilityArgs: { portMappings: [{ hostPort: 1 }], other: 1 } };
  const res = await addList([dir], l, call);
  assert.equal(res.interfaces[0]?.name, 'two');
  await delList([dir], l, call, res);
  const entries = log();
  assert.deepEqual(
    entries.map((e) => `${e.p}:${e.cmd}`),
    ['one:ADD', 'two:ADD', 'two:DEL', 'one:DEL'],
  );
  assert.equal(entries[0]?.args, 'IgnoreUnknown=1;IP=10.0.0.9');
  assert.equal(entries[0]?.ifname, 'eth1');
  assert.deepEqual(entries[0]?.stdin.runtimeConfig, { portMappings: [{ hostPort: 1 }] });
  assert.equal(entries[0]?.stdin.capabilities, undefined);
  assert.equal(entries[0]?.stdin.prevResult, undefined);
  assert.equal(entries[1]?.stdin.runtimeConfig, undefined);
  assert.deepEqual((entries[1]?.stdin.prevResult as { interfaces: { name: string }[] }).interfaces[0]?.name, 'one');
  assert.equal(entries[1]?.stdin.name, 'berth-test');
  assert.equal(entries[1]?.stdin.cniVersion, '1.0.0');
  // DEL gets the stored final result
  assert.deepEqual((entries[2]?.stdin.prevResult as { interfaces: { name: string }[] }).interfaces[0]?.name, 'two');
});

test('a failed ADD is undone (DEL of the whole list, reverse) and reports the CNI error', async () => {
  writeFileSync(join(dir, 'log'), '');
  const l = list([{ type: 'one' }, { type: 'bad' }, { type: 'two' }]);
  await assert.rejects(
    addList([dir], l, { containerId: 'c2', netns: '/x', ifname: 'eth0' }),
    (e: unknown) => e instanceof NetError && e.kind === 'runtime' && /CNI plugin bad ADD failed \(code 11\): boom: more/.test(e.message),
  );
  assert.deepEqual(
    log().map((e) => `${e.p}:${e.cmd}`),
    ['one:ADD', 'bad:ADD', 'two:DEL', 'bad:DEL', 'one:DEL'],
  );
});

test('conflist: bridge, internal and macvlan', () => {
  const paths = netPaths('/run/berth-x');
  const ctx = { existing: [], hostRoutes: [], id: 'cd'.repeat(32), linkExists: () => true };
  const br = buildConfList(planNetwork({ name: 'n', ipam: [{ subnet: '10.7.0.0/16', ipRange: '10.7.1.0/24', gateway: '10.7.0.254' }] }, ctx), paths);
  assert.equal(br.name, 'berth-cdcdcdcdcdcd');
  assert.deepEqual(
    br.plugins.map((p) => p.type),
    ['bridge', 'portmap'],
  );
  assert.deepEqual(
    buildConfList(planNetwork({ name: 'n', ipam: [{ subnet: '10.7.0.0/16' }] }, ctx), paths, { portmap: false }).plugins.map((p) => p.type),
    ['bridge'],
  );
  const b = br.plugins[0] as Record<string, unknown>;
  assert.equal(b.bridge, 'br-cdcdcdcdcdcd');
  assert.equal(b.isDefaultGateway, true);
  assert.equal(b.ipMasq, false); // one masquerade rule per network instead (netrules.ts)
  assert.equal(b.hairpinMode, true);
  assert.deepEqual(b.ipam, {
    type: 'host-local',
    dataDir: '/run/berth-x/net/ipam',
    ranges: [[{ subnet: '10.7.0.0/16', gateway: '10.7.0.254', rangeStart: '10.7.1.0', rangeEnd: '10.7.1.255' }]],
  });
  assert.deepEqual(br.plugins[1], { type: 'portmap', capabilities: { portMappings: true }, snat: true });
  const internal = buildConfList(planNetwork({ name: 'i', internal: true, ipam: [{ subnet: '10.8.0.0/24' }] }, ctx), paths);
  assert.deepEqual(
    internal.plugins.map((p) => p.type),
    ['bridge'],
  );
  assert.equal(internal.plugins[0]?.isDefaultGateway, false);
  assert.equal(internal.plugins[0]?.ipMasq, false);
  const mv = buildConfList(
    planNetwork({ name: 'm', driver: 'macvlan', ipam: [{ subnet: '10.9.0.0/24' }], options: { parent: 'eth0', macvlan_mode: 'private' } }, ctx),
    paths,
  );
  assert.deepEqual(
    mv.plugins.map((p) => [p.type, p.master, p.mode]),
    [['macvlan', 'eth0', 'private']],
  );
  assert.deepEqual((mv.plugins[0]?.ipam as { routes: unknown }).routes, [{ dst: '0.0.0.0/0' }]);
});
