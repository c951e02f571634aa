/**
 * docker's event filters (`events --filter`, GET /events?filters=): values of one key are
 * alternatives, different keys must all match. Shared by every backend that filters itself.
 */
import type { EngineEvent } from '../api.js';
import { invalid } from '../errors.js';

const KEYS = new Set(['container', 'event', 'image', 'label', 'network', 'type', 'volume', 'scope', 'daemon', 'plugin', 'node', 'service', 'secret', 'config']);

export function validateEventFilters(f: Record<string, string[]>): void {
  for (const k of Object.keys(f)) if (!KEYS.has(k)) throw invalid(`Invalid filter '${k}'`);
}

/** What a name or id filter value matches: the full id, a prefix of it, or the name. */
function actorMatches(e: EngineEvent, v: string): boolean {
  const name = e.attributes?.name;
  return e.id === v || (v.length >= 1 && e.id.startsWith(v)) || name === v;
}

function labelMatches(e: EngineEvent, v: string): boolean {
  const i = v.indexOf('=');
  const k = i < 0 ? v : v.slice(0, i);
  if (!(k in (e.attributes ?? {}))) return false;
  return i < 0 || e.attributes![k] === v.slice(i + 1);
}

export function matchesEventFilters(e: EngineEvent, f: Record<string, string[]> = {}): boolean {
  const any = (k: string, p: (v: string) => boolean) => !f[k]?.length || f[k]!.some(p);
  return (
    any('type', (v) => v === e.type) &&
    // "health_status: healthy" is matched by "health_status" too, as docker does
    any('event', (v) => v === e.action || e.action.startsWith(`${v}:`)) &&
    any('container', (v) => (e.type === 'container' && actorMatches(e, v)) || e.attributes?.container === v) &&
    any('image', (v) => (e.type === 'image' && actorMatches(e, v)) || e.attributes?.image === v || e.attributes?.image?.startsWith(`${v}:`) === true) &&
    any('network', (v) => e.type === 'network' && actorMatches(e, v)) &&
    any('volume', (v) => e.type === 'volume' && actorMatches(e, v)) &&
    any('label', (v) => labelMatches(e, v)) &&
    any('scope', (v) => v === 'local') &&
    any('daemon', () => true)
  );
}
