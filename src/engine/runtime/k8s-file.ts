/**
 * conmon's k8s-file log format: one record per line,
 * `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`; P marks a record the runtime cut (a long
 * line, or output without a newline yet) that continues in the next record.
 */
import type { LogLine } from '../api.js';

export interface LogRecord extends LogLine {
  /** Nanoseconds since the epoch, for exact since/until comparisons. */
  ns: bigint;
}

const RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) (stdout|stderr) ([FP])(?: (.*))?$/s;

/** Parses one record; undefined for a malformed line (skipped, as podman does). */
export function parseK8sLine(line: string): LogRecord | undefined {
  const m = RE.exec(line);
  if (!m) return undefined;
  const ns = timeNs(m[1]!, m[2] ?? '', m[3]!);
  if (ns === undefined) return undefined;
  return {
    stream: m[4] as 'stdout' | 'stderr',
    time: formatNs(ns),
    text: m[6] ?? '',
    complete: m[5] === 'F',
    ns,
  };
}

function timeNs(base: string, frac: string, zone: string): bigint | undefined {
  const ms = Date.parse(`${base}${zone === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
}

/** RFC3339Nano in UTC, as docker prints log timestamps. */
export function formatNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000_000n) * 1000;
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${base}.${frac}Z`;
}

// --since/--until values live in time-arg.ts; re-exported for the readers that import them here.
export { parseTimeArg } from './time-arg.js';
