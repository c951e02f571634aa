/**
 * Which host the dashboard shows (one, or all at once), and what that means: the hosts' states,
 * the engines on screen, and the sources the lists and stats read. A disconnected host leaves
 * the sources (its rows are not shown as if live) and comes back, with fresh lists and event
 * stream, when the pool reaches it again.
 */
import { useCallback, useMemo, useState } from 'react';
import type { Engine } from '../engine/api.js';
import { ALL_HOSTS, type DashboardHosts, type HostState } from './hosts.js';
import { useHosts } from './use-hosts.js';
import type { HostSource } from './use-resources.js';

export interface HostSelection {
  /** A host name, or ALL_HOSTS. */
  selected: string;
  all: boolean;
  statuses: readonly HostState[];
  /** The state of the one host on screen (undefined in the all-hosts view). */
  selectedState?: HostState;
  /** The hosts on screen that are connected, with their engines. */
  sources: readonly HostSource[];
  liveNames: readonly string[];
  /** The one host's engine (undefined in the all-hosts view or while it connects). */
  engine?: Engine;
  engines: ReadonlyMap<string, Engine>;
  /** A row's host's engine; undefined host = the one host on screen. */
  engineFor: (host: string | undefined) => Engine | undefined;
  /** Shows `name` (or ALL_HOSTS); a disconnected host is retried at once. Returns false if already shown. */
  switchTo: (name: string) => boolean;
  /** A: all hosts, or back to the last single host. Returns the name switched to. */
  toggleAll: () => string;
}

export function useHostSelection(hosts: DashboardHosts, initialHost: string | undefined): HostSelection {
  const first = hosts.statuses()[0]?.name;
  const [selected, setSelected] = useState<string>(() => initialHost ?? first ?? ALL_HOSTS);
  const [lastSingle, setLastSingle] = useState<string | undefined>(() => (selected !== ALL_HOSTS ? selected : first));
  const all = selected === ALL_HOSTS;
  const allNames = hosts.statuses().map((h) => h.name);
  const onScreen = all ? allNames : [selected];
  const { statuses, engines } = useHosts(hosts, onScreen);
  const stateOf = (name: string) => statuses.find((h) => h.name === name);
  const liveNames = onScreen.filter((n) => stateOf(n)?.state !== 'down' && engines.has(n));
  const liveKey = liveNames.join('\u0000');
  const sources = useMemo<HostSource[]>(
    () => liveNames.map((host) => ({ host, engine: engines.get(host)! })),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `liveKey` stands for liveNames
    [liveKey, engines],
  );
  const engineFor = useCallback((host: string | undefined) => engines.get(host ?? (all ? '' : selected)), [all, engines, selected]);
  const switchTo = (name: string): boolean => {
    if (name === selected) return false;
    if (name !== ALL_HOSTS) {
      setLastSingle(name);
      if (stateOf(name)?.state === 'down') void hosts.retry(name);
    }
    setSelected(name);
    return true;
  };
  return {
    selected,
    all,
    statuses,
    ...(all ? {} : { selectedState: stateOf(selected) }),
    sources,
    liveNames,
    ...(all ? {} : { engine: engines.get(selected) }),
    engines,
    engineFor,
    switchTo,
    toggleAll: () => {
      const to = all ? (lastSingle ?? first ?? ALL_HOSTS) : ALL_HOSTS;
      switchTo(to);
      return to;
    },
  };
}
