/**
 * The embedded engine's event journal: every process that changes state (the CLI, the API
 * service, conmon's exit hook, a health check) appends docker-named events to one table in the
 * state database, inside the transaction that made the change where there is one, so `events`
 * readers in any process see them in order. Bounded: the oldest go beyond MAX_EVENTS.
 */
import type { EngineEvent } from '../api.js';
import type { StateDb } from '../state/db.js';

/** docker keeps its recent events in memory (1000 of them per daemon); a file keeps more. */
export const MAX_EVENTS = 10_000;

export interface EventRow {
  seq: number;
  time: number;
  type: string;
  action: string;
  actor: string;
  attrs: string;
}

export function recordEvent(db: StateDb, e: Omit<EngineEvent, 'time'> & { time?: number }): void {
  const r = db.run(
    'INSERT INTO events (time, type, action, actor, attrs) VALUES (?, ?, ?, ?, ?)',
    e.time ?? Date.now(),
    e.type,
    e.action,
    e.id,
    JSON.stringify(e.attributes ?? {}),
  );
  void r;
  // trim now and then, not on every write
  if (Math.random() < 1 / 64) db.run('DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?', MAX_EVENTS);
}

export function toEvent(r: EventRow): EngineEvent {
  let attributes: Record<string, string> = {};
  try {
    const o = JSON.parse(r.attrs) as unknown;
    if (o && typeof o === 'object') attributes = Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  } catch {
    /* a damaged row still reports what happened */
  }
  return { type: r.type as EngineEvent['type'], action: r.action, id: r.actor, attributes, time: r.time };
}

/** Events after sequence number `after` (in order), at most `limit`. */
export function eventsAfter(db: StateDb, after: number, limit = 500): EventRow[] {
  return db.all<EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?', after, limit);
}

/** The first sequence number at or after `time`; the last one when `time` is undefined. */
export function seqAt(db: StateDb, time?: number): number {
  if (time === undefined) return db.get<{ s: number | null }>('SELECT MAX(seq) AS s FROM events')?.s ?? 0;
  // no event at or after `time` yet: the next one to come is the first
  const first = db.get<{ s: number | null }>('SELECT MIN(seq) AS s FROM events WHERE time >= ?', time)?.s;
  return first != null ? first - 1 : seqAt(db);
}

/** The exit code of a container's last `die` event (or its first after event `after`): what a
 *  `wait` reports when a --rm container was removed, exit file and all, before the waiter read it,
 *  or when it waited through a restart. */
export function lastExitCode(db: StateDb, id: string, after?: number): number | undefined {
  const r =
    after === undefined
      ? db.get<{ attrs: string }>("SELECT attrs FROM events WHERE actor = ? AND type = 'container' AND action = 'die' ORDER BY seq DESC LIMIT 1", id)
      : db.get<{ attrs: string }>(
          "SELECT attrs FROM events WHERE actor = ? AND type = 'container' AND action = 'die' AND seq > ? ORDER BY seq LIMIT 1",
          id,
          after,
        );
  if (!r) return undefined;
  const code = Number(toEvent({ seq: 0, time: 0, type: 'container', action: 'die', actor: id, attrs: r.attrs }).attributes?.exitCode);
  return Number.isInteger(code) ? code : undefined;
}
