/**
 * The floor under `network connect` / `disconnect`: the CNI bridge plugin's ADD and DEL for one
 * interface in an existing network namespace, run in-process through berth's CNI module (the
 * same configuration berth writes: bridge with host-local IPAM, no masquerade chain, no portmap)
 * so that no Node start-up and no berth state is counted. Add `node -e ''` for the least a Node
 * CLI driving the standard plugins can take; issue 4's 50 ms target sits below it here.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConfList } from '../src/net/cni-config.js';
import { addList, delList } from '../src/net/cni.js';
import { DEFAULT_CNI_PATH } from '../src/net/paths.js';
import type { Ctx } from './cases.js';
import { ok, repeat, runSync, type Stats, stats } from './timing.js';

export async function cniFloor(ctx: Ctx): Promise<{ add: Stats | string; del: Stats | string }> {
  const ns = `${ctx.berth.prefix}fl`;
  const bridge = `${ctx.berth.prefix}f`; // ≤ 15 characters
  const dataDir = join(ctx.berth.dir, 'cni-floor');
  mkdirSync(dataDir, { recursive: true });
  const list: ConfList = {
    cniVersion: '1.0.0',
    name: `${ctx.berth.prefix}-floor`,
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: true,
        isDefaultGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.250.77.0/24' }]] },
      },
    ],
  };
  const call = { containerId: `${ctx.berth.prefix}floorcontainer`, netns: `/run/netns/${ns}`, ifname: 'eth1' };
  const adds: number[] = [];
  try {
    await ok({ file: 'ip', args: ['netns', 'add', ns] });
    const del = await repeat(ctx.n, async () => {
      const t0 = performance.now();
      const res = await addList(DEFAULT_CNI_PATH, list, call);
      const t1 = performance.now();
      adds.push(t1 - t0);
      await delList(DEFAULT_CNI_PATH, list, call, res);
      return performance.now() - t1;
    });
    return { add: stats(adds.slice(1)), del }; // the first ADD was repeat's warm-up
  } catch (e) {
    const msg = `error: ${String((e as Error).message)
      .split('\n')[0]!
      .slice(0, 120)}`;
    return { add: msg, del: msg };
  } finally {
    runSync({ file: 'ip', args: ['netns', 'del', ns] });
    runSync({ file: 'ip', args: ['link', 'del', bridge] });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
