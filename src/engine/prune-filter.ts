/**
 * docker's prune filters, as its daemon reads them (daemon/prune.go): `until` (one value, a Go
 * duration back from now, an RFC 3339 time or unix seconds: time-arg.ts) keeps what was created
 * after it; `label` (`k` or `k=v`) keeps what lacks any of them; `label!` keeps what has all of
 * them. Each kind accepts its own keys (volumes: no `until`); any other key is refused in the
 * daemon's words, before anything is removed.
 */
import type { PruneFilters } from './api.js';
import { invalid } from './errors.js';
import { parseTimeArg } from './runtime/time-arg.js';

export interface PruneFilter {
  /** What to prune: created at or before `until` (ms), with labels as asked. */
  matches(created: string, labels: Record<string, string> | undefined): boolean;
}

export const CONTAINER_PRUNE_FILTERS = ['until', 'label', 'label!'] as const;
export const IMAGE_PRUNE_FILTERS = ['dangling', 'until', 'label', 'label!'] as const;
export const NETWORK_PRUNE_FILTERS = ['until', 'label', 'label!'] as const;
export const VOLUME_PRUNE_FILTERS = ['label', 'label!', 'all'] as const;

export function pruneFilter(f: PruneFilters | undefined, accepted: readonly string[], now = Date.now()): PruneFilter {
  const filters = f ?? {};
  for (const k of Object.keys(filters)) if (!accepted.includes(k)) throw invalid(`Invalid filter '${k}'`);
  const untilValues = filters.until ?? [];
  if (untilValues.length > 1) throw invalid('more than one until filter specified');
  let until: number | undefined;
  if (untilValues.length === 1) {
    try {
      until = Number(parseTimeArg(untilValues[0]!, now) / 1_000_000n);
    } catch (e) {
      throw invalid((e as Error).message);
    }
  }
  const label = filters.label ?? [];
  const notLabel = filters['label!'] ?? [];
  return {
    matches(created, labels = {}) {
      if (until !== undefined && Date.parse(created) > until) return false;
      if (!matchKVList(label, labels)) return false;
      // label! with several values: kept only when it has all of them (docker's MatchKVList)
      return !(notLabel.length && matchKVList(notLabel, labels));
    },
  };
}

/** docker's filters.Args.MatchKVList: every `k` / `k=v` is in `labels` (none asked: true). */
function matchKVList(values: string[], labels: Record<string, string>): boolean {
  if (values.length === 0) return true;
  return values.every((v) => {
    const eq = v.indexOf('=');
    const k = eq < 0 ? v : v.slice(0, eq);
    if (!Object.hasOwn(labels, k)) return false;
    return eq < 0 || labels[k] === v.slice(eq + 1);
  });
}

/** A boolean filter's one value (`dangling`, `all`); docker's message for anything else. */
export function boolPruneFilter(f: PruneFilters | undefined, key: string): boolean | undefined {
  const vals = f?.[key];
  if (!vals?.length) return undefined;
  if (vals.length === 1 && ['true', '1'].includes(vals[0]!.toLowerCase())) return true;
  if (vals.length === 1 && ['false', '0'].includes(vals[0]!.toLowerCase())) return false;
  throw invalid(`Invalid filter '${key}=[${vals.join(' ')}]'`);
}
