/**
 * docker's json-file log format: one JSON object a line, `{"log":"text\n","stream":"stdout",
 * "time":"<RFC3339Nano>"}`; a line the runtime cut has no trailing newline in "log" and goes on
 * in the next record. Each line is JSON from outside (a file anyone may have edited): checked
 * here, skipped when malformed, as docker skips what it cannot decode.
 */
import type { LogRecord } from './k8s-file.js';
import { formatNs } from './k8s-file.js';

const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

export function parseJsonLogLine(line: string): LogRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { log?: unknown; stream?: unknown; time?: unknown };
  if (typeof o.log !== 'string' || (o.stream !== 'stdout' && o.stream !== 'stderr') || typeof o.time !== 'string') return undefined;
  const m = TIME.exec(o.time);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const ns = BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  const complete = o.log.endsWith('\n');
  return { stream: o.stream, time: formatNs(ns), text: complete ? o.log.slice(0, -1) : o.log, complete, ns };
}

/** Go's RFC3339Nano (what docker writes): UTC, trailing zeros of the fraction dropped. */
export function goTime(ns: bigint): string {
  const s = formatNs(ns);
  return s.replace(/\.?0+Z$/, 'Z');
}

/** One record as docker's json-file line (with its newline). */
export function jsonLogLine(r: { stream: 'stdout' | 'stderr'; text: string; complete: boolean; ns: bigint }): string {
  return `${JSON.stringify({ log: r.complete ? `${r.text}\n` : r.text, stream: r.stream, time: goTime(r.ns) })}\n`;
}
