/**
 * The hosts' states (re-rendered on every change the pool reports) and the engines of the hosts
 * in use, resolved once each. A host whose engine cannot be built is reported down, not thrown.
 */
import { useEffect, useState } from 'react';
import type { Engine } from '../engine/api.js';
import type { DashboardHosts, HostState } from './hosts.js';

export function useHosts(hosts: DashboardHosts, wanted: readonly string[]): { statuses: readonly HostState[]; engines: ReadonlyMap<string, Engine> } {
  const [statuses, setStatuses] = useState<readonly HostState[]>(() => hosts.statuses());
  const [engines, setEngines] = useState<ReadonlyMap<string, Engine>>(new Map());
  useEffect(() => {
    setStatuses(hosts.statuses());
    return hosts.onChange(() => setStatuses(hosts.statuses()));
  }, [hosts]);
  const key = wanted.join('\u0000');
  useEffect(() => {
    let alive = true;
    for (const name of wanted) {
      if (engines.has(name)) continue;
      hosts.engine(name).then(
        (e) => alive && setEngines((m) => (m.get(name) === e ? m : new Map(m).set(name, e))),
        (err: unknown) => hosts.report(name, err instanceof Error ? err.message : String(err)),
      );
    }
    return () => {
      alive = false;
    };
    // `key` stands for `wanted`; a status change re-asks for engines that failed to build.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hosts, key, engines, statuses]);
  return { statuses, engines };
}
