/**
 * Parsers for cgroup and procfs files, working on the raw bytes of one read.
 * The sampler re-reads the same files every pass for every container, so these avoid building
 * strings and arrays: a pass over 50 containers must stay well under a millisecond per container.
 * Callers pass a view of exactly the bytes read (`buf.subarray(0, n)`): the shared read buffer
 * holds stale bytes past that, and searches must not wander into them.
 * Numbers above 2^53 lose precision; cgroup counters that large only mean "unlimited".
 */

const ZERO = 0x30;
const NINE = 0x39;
const NL = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

export interface ParsedUint {
  value: number;
  /** Index just past the last digit, or -1 when there was no digit. */
  end: number;
}

/** Parses the unsigned decimal at `start` (after optional blanks); end = -1 when none. */
export function uintAt(buf: Uint8Array, start: number, limit: number): ParsedUint {
  let i = start;
  while (i < limit && (buf[i] === SPACE || buf[i] === TAB)) i++;
  let v = 0;
  const first = i;
  while (i < limit) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) break;
    v = v * 10 + (c - ZERO);
    i++;
  }
  return i === first ? { value: 0, end: -1 } : { value: v, end: i };
}

/** A whole file holding one number ("123\n"). NaN when it does not start with digits. */
export function singleUint(buf: Uint8Array): number {
  const r = uintAt(buf, 0, buf.length);
  return r.end < 0 ? NaN : r.value;
}

/** "max" (v2's unlimited) at the start of the file. */
export function startsWithMax(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0x6d && buf[1] === 0x61 && buf[2] === 0x78;
}

/** Pre-encoded key for `keyedUint`: "\n<key> " so "inactive_file" never matches "total_inactive_file". */
export interface FlatKey {
  line: Buffer; // "\nkey "
  first: Buffer; // "key " (the file's first line has no newline before it)
}
export function flatKey(key: string): FlatKey {
  return { line: Buffer.from(`\n${key} `, 'latin1'), first: Buffer.from(`${key} `, 'latin1') };
}

/** The value of `key` in a flat-keyed file ("key value\n" lines: memory.stat, cpu.stat). */
export function keyedUint(buf: Buffer, key: FlatKey): number | undefined {
  let at: number;
  if (buf.length >= key.first.length && buf.compare(key.first, 0, key.first.length, 0, key.first.length) === 0) at = key.first.length;
  else {
    const i = buf.indexOf(key.line);
    if (i < 0) return undefined;
    at = i + key.line.length;
  }
  const r = uintAt(buf, at, buf.length);
  return r.end < 0 ? undefined : r.value;
}

const RBYTES = Buffer.from('rbytes=', 'latin1');
const WBYTES = Buffer.from('wbytes=', 'latin1');

function sumAfter(buf: Buffer, needle: Buffer): number {
  let sum = 0;
  let i = buf.indexOf(needle);
  while (i >= 0) {
    const r = uintAt(buf, i + needle.length, buf.length);
    if (r.end >= 0) sum += r.value;
    i = buf.indexOf(needle, i + needle.length);
  }
  return sum;
}

/** v2 io.stat ("8:0 rbytes=… wbytes=… rios=…" per device): read/write bytes over all devices. */
export function ioStatBytes(buf: Buffer): { read: number; write: number } {
  return { read: sumAfter(buf, RBYTES), write: sumAfter(buf, WBYTES) };
}

const V1_READ = Buffer.from(' Read ', 'latin1');
const V1_WRITE = Buffer.from(' Write ', 'latin1');

/** v1 blkio.*io_service_bytes* ("8:0 Read 123" per device and op, then "Total N"). */
export function blkioBytes(buf: Buffer): { read: number; write: number } {
  return { read: sumAfter(buf, V1_READ), write: sumAfter(buf, V1_WRITE) };
}

/**
 * /proc/stat: the host's total CPU time as docker counts it (the first seven fields of the
 * "cpu" line: user nice system idle iowait irq softirq; steal and guest are left out), in
 * clock ticks, and the number of online CPUs (the "cpuN" lines).
 */
export function procStat(buf: Buffer): { ticks: number; onlineCpus: number } {
  const len = buf.length;
  let ticks = 0;
  let i = 3; // past "cpu"
  for (let f = 0; f < 7; f++) {
    const r = uintAt(buf, i, len);
    if (r.end < 0) break;
    ticks += r.value;
    i = r.end;
  }
  let online = 0;
  let nl = buf.indexOf(NL, i);
  while (nl >= 0 && nl + 4 < len) {
    // "\ncpuN" — the cpu lines are contiguous at the top; stop at the first other line.
    if (buf[nl + 1] === 0x63 && buf[nl + 2] === 0x70 && buf[nl + 3] === 0x75 && buf[nl + 4]! >= ZERO && buf[nl + 4]! <= NINE) online++;
    else break;
    nl = buf.indexOf(NL, nl + 1);
  }
  return { ticks, onlineCpus: online };
}

/** /proc/<pid>/net/dev: received and transmitted bytes over all interfaces but loopback. */
export function netDevBytes(buf: Buffer): { rx: number; tx: number } {
  const len = buf.length;
  let rx = 0;
  let tx = 0;
  let lineStart = 0;
  while (lineStart < len) {
    let lineEnd = buf.indexOf(NL, lineStart);
    if (lineEnd < 0) lineEnd = len;
    const colon = buf.indexOf(0x3a, lineStart); // ':'
    if (colon >= 0 && colon < lineEnd) {
      let s = lineStart;
      while (s < colon && buf[s] === SPACE) s++;
      const isLo = colon - s === 2 && buf[s] === 0x6c && buf[s + 1] === 0x6f;
      if (!isLo) {
        // After "name:": 8 receive fields, then 8 transmit fields; bytes first in each.
        let p = colon + 1;
        for (let f = 0; f < 9; f++) {
          const r = uintAt(buf, p, lineEnd);
          if (r.end < 0) break;
          if (f === 0) rx += r.value;
          else if (f === 8) tx += r.value;
          p = r.end;
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return { rx, tx };
}
