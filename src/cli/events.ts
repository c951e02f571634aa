/**
 * `berth events [--since T] [--until T] [-f K=V] [--format T]`: the engine's events as docker
 * prints them — `TIME TYPE ACTION ID (k=v, …)` by default, or a Go template over docker's
 * events.Message (`{{json .}}`, `{{.Actor.Attributes.name}}`, `json`). Without --until it
 * follows until interrupted.
 */
import type { Command } from 'commander';
import type { EngineEvent } from '../engine/api.js';
import { parseTimeArg } from '../engine/index.js';
import { filtersOf, type CliContext } from './context.js';
import { FormatFailure } from './format/failure.js';
import { filterOption } from './flags/typed.js';
import { fromJS } from './format/template/convert.js';
import { DOCKER_FUNCS } from './format/template/docker-funcs.js';
import { Template, TemplateError } from './format/template/index.js';
import { mapOf, structType, T } from './format/template/types.js';

/** docker's events.Message (api/types/events), field order and JSON tags kept. */
const ACTOR = structType('events.Actor', [
  { name: 'ID', type: T.string },
  { name: 'Attributes', type: mapOf(T.string, T.string) },
]);
const MESSAGE = structType('events.Message', [
  { name: 'Status', type: T.string, json: 'status', omitempty: true },
  { name: 'ID', type: T.string, json: 'id', omitempty: true },
  { name: 'From', type: T.string, json: 'from', omitempty: true },
  { name: 'Type', type: T.string },
  { name: 'Action', type: T.string },
  { name: 'Actor', type: ACTOR },
  { name: 'Scope', type: T.string, json: 'scope', omitempty: true },
  { name: 'Time', type: T.int64, json: 'time', omitempty: true },
  { name: 'TimeNano', type: T.int64, json: 'timeNano', omitempty: true },
]);

/** The event as docker's daemon sends it (the legacy status/id/from for containers and images). */
export function toMessage(e: EngineEvent): Record<string, unknown> {
  const legacy = e.type === 'container' || e.type === 'image';
  return {
    ...(legacy ? { status: e.action, id: e.id } : {}),
    ...(e.type === 'container' && e.attributes?.image ? { from: e.attributes.image } : {}),
    Type: e.type,
    Action: e.action,
    Actor: { ID: e.id, Attributes: e.attributes ?? {} },
    scope: 'local',
    time: Math.floor(e.time / 1000),
    timeNano: e.time * 1e6,
  };
}

/** Go's "2006-01-02T15:04:05.000000000Z07:00" in the local zone (docker's rfc3339NanoFixed). */
export function eventTime(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const local = new Date(ms + off * 60_000).toISOString().slice(0, 19);
  const nanos = `${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}000000`;
  const zone =
    off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
  return `${local}.${nanos}${zone}`;
}

/** docker's prettyPrintEvent. */
export function eventLine(e: EngineEvent): string {
  const attrs = Object.entries(e.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${eventTime(e.time)} ${e.type} ${e.action} ${e.id}${attrs.length ? ` (${attrs.map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`;
}

function timeOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    return Number(parseTimeArg(v) / 1_000_000n);
  } catch (e) {
    void name;
    throw new Error((e as Error).message); // docker's words, exit 1
  }
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .addOption(filterOption('-f, --filter <filter>', 'Filter output based on conditions provided'))
    .option('--format <string>', 'Format the output using the given Go template')
    .option('--since <string>', 'Show all events created since timestamp')
    .option('--until <string>', 'Stream events until this timestamp')
    .action(async (o: { filter?: string[]; format?: string; since?: string; until?: string }) => {
      const since = timeOption('since', o.since);
      const until = timeOption('until', o.until);
      let tmpl: Template | undefined;
      if (o.format) {
        try {
          tmpl = Template.parse(o.format === 'json' ? '{{json .}}' : o.format, DOCKER_FUNCS);
        } catch (e) {
          if (e instanceof TemplateError) throw new FormatFailure(`template parsing error: ${e.message}`, 64);
          throw e;
        }
      }
      const engine = await ctx.engine();
      const ac = new AbortController();
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const events = engine.system.events(ac.signal, {
          filters: filtersOf(o.filter),
          ...(since !== undefined ? { since } : {}),
          ...(until !== undefined ? { until } : {}),
        });
        for await (const e of events) {
          if (!tmpl) {
            ctx.out(eventLine(e));
            continue;
          }
          try {
            ctx.stdout.write(Buffer.from(`${tmpl.executeBytes(fromJS(MESSAGE, toMessage(e), 'native'), DOCKER_FUNCS)}\n`, 'latin1'));
          } catch (err) {
            if (err instanceof TemplateError) throw new FormatFailure(err.message, 1);
            throw err;
          }
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
