/**
 * One 512-byte tar header block: ustar, GNU and old v7 fields, read and written byte for byte.
 * Names are kept as "byte strings" (latin1: one char per byte), so a path that is not UTF-8
 * reaches the filesystem unchanged (see bytes-path.ts).
 */

export const BLOCK = 512;

/** The archive itself is malformed (as opposed to a filesystem failure while applying it). */
export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

/** Entry types as berth handles them; the archive's own flags are mapped in `typeOf`. */
export type TarType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

/** Flags that carry meta-data for the next entry, or nothing at all. */
export type MetaFlag = 'pax' | 'pax-global' | 'gnu-longname' | 'gnu-longlink' | 'gnu-sparse' | 'gnu-dumpdir' | 'skip';

export interface RawHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  flag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Only for GNU headers (their prefix field holds atime, ctime and sparse data instead). */
  gnu: boolean;
  atime?: number;
}

/** A NUL-terminated field as a byte string. */
function str(b: Buffer, off: number, len: number): string {
  let end = off;
  const max = off + len;
  while (end < max && b[end] !== 0) end++;
  return b.toString('latin1', off, end);
}

/** A numeric field: octal ASCII (space/NUL terminated), or GNU base-256 when the top bit is set. */
export function num(b: Buffer, off: number, len: number): number {
  const first = b[off]!;
  if (first & 0x80) {
    // base-256, two's complement; 0xff marks a negative number
    let v = first === 0xff ? -1 : first & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + (first === 0xff ? b[off + i]! - 255 : b[off + i]!);
    return v;
  }
  let v = 0;
  let i = off;
  const end = off + len;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++; // leading blanks
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) throw new TarFormatError(`invalid number in tar header: ${JSON.stringify(b.toString('latin1', off, end))}`);
    v = v * 8 + (c - 0x30);
  }
  return v;
}

export function isZeroBlock(b: Buffer, off: number): boolean {
  for (let i = off; i < off + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

function checksumOk(b: Buffer, off: number): boolean {
  const want = num(b, off + 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[off + i]!;
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return want === unsigned || want === signed;
}

/** Parses the header block at `off`; throws on a bad checksum (not a tar, or corrupt). */
export function parseHeader(b: Buffer, off: number): RawHeader {
  if (!checksumOk(b, off)) throw new TarFormatError('invalid tar header checksum');
  const magic = b.toString('latin1', off + 257, off + 265);
  const gnu = magic === 'ustar  \0';
  const ustar = magic.startsWith('ustar\0');
  let name = str(b, off, 100);
  if (ustar) {
    const prefix = str(b, off + 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  let flag = String.fromCharCode(b[off + 156]!);
  if (flag === '\0') flag = '0';
  const h: RawHeader = {
    name,
    mode: num(b, off + 100, 8),
    uid: num(b, off + 108, 8),
    gid: num(b, off + 116, 8),
    size: num(b, off + 124, 12),
    mtime: num(b, off + 136, 12),
    flag,
    linkname: str(b, off + 157, 100),
    uname: ustar || gnu ? str(b, off + 265, 32) : '',
    gname: ustar || gnu ? str(b, off + 297, 32) : '',
    devmajor: ustar || gnu ? num(b, off + 329, 8) : 0,
    devminor: ustar || gnu ? num(b, off + 337, 8) : 0,
    gnu,
  };
  if (gnu && b[off + 345] !== 0) h.atime = num(b, off + 345, 12);
  return h;
}

/** What a header's flag means. Old v7 archives mark directories by a trailing slash only. */
export function typeOf(h: RawHeader): TarType | MetaFlag {
  switch (h.flag) {
    case '0':
    case '7':
      return h.name.endsWith('/') ? 'dir' : 'file';
    case '1':
      return 'link';
    case '2':
      return 'symlink';
    case '3':
      return 'char';
    case '4':
      return 'block';
    case '5':
      return 'dir';
    case '6':
      return 'fifo';
    case 'x':
    case 'X': // Solaris' name for the same thing
      return 'pax';
    case 'g':
      return 'pax-global';
    case 'L':
      return 'gnu-longname';
    case 'K':
      return 'gnu-longlink';
    case 'S':
      return 'gnu-sparse';
    case 'D':
      return 'gnu-dumpdir';
    case 'V': // a volume label: no file
      return 'skip';
    default:
      // POSIX: an unknown type is read as a regular file
      return h.name.endsWith('/') ? 'dir' : 'file';
  }
}

/** The sparse map of an old-GNU 'S' header (4 slots in the header, 21 per extension block). */
export function gnuSparseSlots(b: Buffer, off: number, count: number): { offset: number; length: number }[] {
  const out: { offset: number; length: number }[] = [];
  for (let i = 0; i < count; i++) {
    const o = off + i * 24;
    if (b[o] === 0) break;
    out.push({ offset: num(b, o, 12), length: num(b, o + 12, 12) });
  }
  return out;
}

// ---------------------------------------------------------------- writing

const FLAGS: Record<TarType, string> = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

export interface WriteHeader {
  name: string;
  type: TarType | 'pax';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
}

function putStr(b: Buffer, off: number, len: number, s: string): boolean {
  if (s.length > len) return false;
  b.write(s, off, len, 'latin1');
  return true;
}

/** Octal with NUL, or base-256 when it does not fit (as Go's writer does for big ids and sizes). */
function putNum(b: Buffer, off: number, len: number, v: number): void {
  const oct = Math.max(0, Math.floor(v)).toString(8);
  if (oct.length <= len - 1 && v >= 0) {
    b.write(oct.padStart(len - 1, '0'), off, len - 1, 'latin1');
    b[off + len - 1] = 0;
    return;
  }
  let x = Math.floor(v);
  for (let i = len - 1; i > 0; i--) {
    b[off + i] = ((x % 256) + 256) % 256;
    x = Math.floor(x / 256);
  }
  b[off] = v < 0 ? 0xff : 0x80;
}

/** Splits a long name into ustar's prefix/name, or undefined when it cannot be. */
function splitUstar(name: string): [string, string] | undefined {
  if (name.length <= 100) return ['', name];
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] === '/' && i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return [name.slice(0, i), name.slice(i + 1)];
  }
  return undefined;
}

/** Fields ustar cannot hold (they go into a PAX header before this one). */
export function paxNeeds(h: WriteHeader): Record<string, string> {
  const need: Record<string, string> = {};
  if (!splitUstar(h.name)) need.path = h.name;
  if ((h.linkname ?? '').length > 100) need.linkpath = h.linkname!;
  if (h.uid > 0o7777777) need.uid = String(h.uid);
  if (h.gid > 0o7777777) need.gid = String(h.gid);
  if (h.size > 0o77777777777) need.size = String(h.size);
  if ((h.uname ?? '').length > 32) need.uname = h.uname!;
  if ((h.gname ?? '').length > 32) need.gname = h.gname!;
  if (!Number.isInteger(h.mtime) || h.mtime < 0 || h.mtime > 0o77777777777) need.mtime = formatTime(h.mtime);
  return need;
}

function formatTime(t: number): string {
  if (Number.isInteger(t)) return String(t);
  const sec = Math.floor(t);
  const ns = Math.round((t - sec) * 1e9);
  return ns ? `${sec}.${String(ns).padStart(9, '0').replace(/0+$/, '')}` : String(sec);
}

/** One ustar header block (fields that do not fit are truncated; PAX carries their real value). */
export function encodeHeader(h: WriteHeader): Buffer {
  const b = Buffer.alloc(BLOCK);
  const [prefix, name] = splitUstar(h.name) ?? ['', h.name.slice(-100)];
  putStr(b, 0, 100, name);
  putNum(b, 100, 8, h.mode & 0o7777);
  putNum(b, 108, 8, Math.min(h.uid, 0o7777777));
  putNum(b, 116, 8, Math.min(h.gid, 0o7777777));
  putNum(b, 124, 12, h.type === 'file' || h.type === 'pax' ? Math.min(h.size, 0o77777777777) : 0);
  putNum(b, 136, 12, Math.min(Math.max(0, Math.floor(h.mtime)), 0o77777777777));
  b.fill(0x20, 148, 156);
  b.write(h.type === 'pax' ? 'x' : FLAGS[h.type], 156, 1, 'latin1');
  putStr(b, 157, 100, (h.linkname ?? '').slice(0, 100));
  b.write('ustar\x0000', 257, 8, 'latin1');
  putStr(b, 265, 32, (h.uname ?? '').slice(0, 32));
  putStr(b, 297, 32, (h.gname ?? '').slice(0, 32));
  putNum(b, 329, 8, h.devmajor ?? 0);
  putNum(b, 337, 8, h.devminor ?? 0);
  putStr(b, 345, 155, prefix);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return b;
}
