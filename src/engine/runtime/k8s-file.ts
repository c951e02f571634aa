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

/**
 * docker's --since/--until values → ns since the epoch: RFC3339 (date or date-time), unix seconds
 * ("1700000000.5"), or a duration back from now ("10m", "1h30m", "45s").
 */
export function parseTimeArg(v: string | Date, now = Date.now()): bigint {
  if (v instanceof Date) return BigInt(v.getTime()) * 1_000_000n;
  const s = v.trim();
  if (/^\d+(\.\d{1,9})?$/.test(s)) {
    const [sec, frac = ''] = s.split('.');
    return BigInt(sec!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0') || '0');
  }
  const dur = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(s);
  if (dur && s !== '') {
    const ms = Number(dur[1] ?? 0) * 3600e3 + Number(dur[2] ?? 0) * 60e3 + Number(dur[3] ?? 0) * 1e3 + Number(dur[4] ?? 0);
    return BigInt(Math.round(now - ms)) * 1_000_000n;
  }
  const m = /^(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d(?::\d\d)?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?)?$/.exec(s);
  if (m) {
    const t = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : '00:00:00';
    const ns = timeNs(`${m[1]}T${t}`, m[3] ?? '', m[4] ?? 'Z');
    if (ns !== undefined) return ns;
  }
  throw new Error(`invalid time value: ${JSON.stringify(v)}`);
}
