/**
 * The hosts a dashboard shows, as screens see them: names, states and an Engine per host. The
 * composition root hands in a HostPool (src/engine/docker), which fits this shape; tests and a
 * one-engine dashboard use `singleHost`. Nothing here knows which backend a host is.
 */
import type { Engine } from '../engine/api.js';

export interface HostState {
  name: string;
  /** "embedded", "ssh://admin@prod1", … */
  label: string;
  /** On this machine: its CPU/memory may be shown as the host's (when the daemon agrees). */
  local: boolean;
  state: 'connecting' | 'up' | 'down';
  error?: string;
  /** While down: when the next reconnection attempt is due (ms since epoch). */
  retryAt?: number;
}

export interface DashboardHosts {
  statuses(): readonly HostState[];
  engine(name: string): Promise<Engine>;
  /** Called on every state change; returns the unsubscribe function. */
  onChange(fn: () => void): () => void;
  /** A screen saw the host fail (a list timed out, its events stream broke): check it now. */
  report(name: string, error: string): void;
  /** Reconnect now (the user picked a down host). */
  retry(name: string): Promise<void>;
}

/** The selection value of the all-hosts view (not a valid host or context name). */
export const ALL_HOSTS = '*';

/** A list row with the host it came from; actions on the row go to that host. */
export type Hosted<T> = T & { readonly host: string };

/** A key unique across hosts (the same daemon may be reachable under two names). */
export function rowKey(host: string | undefined, key: string): string {
  return host === undefined ? key : `${host}/${key}`;
}

/** One engine, always up: `berth` on one host, and tests. */
export function singleHost(engine: Engine, label: string, opts: { name?: string; local?: boolean } = {}): DashboardHosts {
  const state: HostState = { name: opts.name ?? 'default', label, local: opts.local ?? true, state: 'up' };
  return {
    statuses: () => [state],
    engine: async () => engine,
    onChange: () => () => undefined,
    report: () => undefined,
    retry: async () => undefined,
  };
}
