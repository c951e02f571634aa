/**
 * docker's --since/--until values (its api/types/time GetTimestamp): a Go duration back from
 * now ("10m", "1h30m", "1.5h", "250ms"), an RFC 3339 date or date-time with or without zone and
 * fraction (no zone = the local time zone, as docker), or unix seconds with an optional
 * fraction ("1700000000.5"). The result is nanoseconds since the epoch.
 */

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds; undefined when `s` is not a duration. */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([-+]?)((?:\d*(?:\.\d*)?(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m || s === '' || /^[-+]?$/.test(s)) return undefined;
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d*(?:\.\d*)?)(ns|us|µs|μs|ms|s|m|h)/g)) {
    if (part[1] === '' || part[1] === '.') return undefined;
    total += Number(part[1]) * UNIT_NS[part[2]!]!;
  }
  return m[1] === '-' ? -total : total;
}

const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?)?(Z|z|[+-]\d\d:\d\d)?$/;

export function parseTimeArg(v: string | Date, now = Date.now()): bigint {
  if (v instanceof Date) return BigInt(v.getTime()) * 1_000_000n;
  const s = v.trim();
  const d = s !== '0' ? parseGoDuration(s) : undefined;
  if (d !== undefined) {
    // docker keeps whole seconds of now − d
    return BigInt(Math.floor((now - d / 1e6) / 1000)) * 1_000_000_000n;
  }
  const m = DATE_TIME.exec(s);
  if (m) {
    const [y, mo, day, h = '0', mi = '0', sec = '0', frac = '', zone] = m.slice(1) as string[];
    const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(day), Number(h), Number(mi), Number(sec)));
    // JS dates roll over (month 13 is next January): a field out of range is no time
    const inRange =
      probe.getUTCMonth() === Number(mo) - 1 &&
      probe.getUTCDate() === Number(day) &&
      probe.getUTCHours() === Number(h) &&
      probe.getUTCMinutes() === Number(mi) &&
      probe.getUTCSeconds() === Number(sec);
    if (!inRange) throw new Error(`failed to parse value as time or duration: ${JSON.stringify(s)}`);
    let ms: number;
    if (zone) {
      const off = zone === 'Z' || zone === 'z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
      ms = Date.UTC(Number(y), Number(mo) - 1, Number(day), Number(h), Number(mi), Number(sec)) - off * 60_000;
    } else {
      ms = new Date(Number(y), Number(mo) - 1, Number(day), Number(h), Number(mi), Number(sec)).getTime();
    }
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n + BigInt((frac ?? '').padEnd(9, '0') || '0');
  }
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(s);
  if (unix) return BigInt(unix[1]!) * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0') || '0');
  throw new Error(`failed to parse value as time or duration: ${JSON.stringify(s)}`);
}

/** ns since the epoch as docker's API takes since/until: "SECONDS[.NANOSECONDS]". */
export function unixArg(ns: bigint): string {
  const sec = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  return frac === 0n ? String(sec) : `${sec}.${frac.toString().padStart(9, '0')}`;
}
