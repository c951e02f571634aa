/**
 * Whether file content is shown as text, and how a listing's entry reads; pure (kept apart from
 * files-source, which is loaded lazily).
 */
import type { DirEntry } from '../engine/api.js';
import { bytes } from '../ui/format.js';

/** Text or not: a NUL byte, or many bytes that are not UTF-8, in the first block. */
export function looksBinary(data: Buffer): boolean {
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return true;
  const text = head.toString('utf8');
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad > 8 && bad > head.length / 100;
}

/** `ls -l`'s mode column: "drwxr-xr-x", "lrwxrwxrwx", with setuid/setgid/sticky. */
export function modeString(mode: number): string {
  const kind: Record<number, string> = { 0o040000: 'd', 0o120000: 'l', 0o010000: 'p', 0o140000: 's', 0o020000: 'c', 0o060000: 'b' };
  const type = kind[mode & 0o170000] ?? '-';
  const rwx = (bits: number, special: boolean, ch: string) =>
    `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-'}`;
  return `${type}${rwx((mode >> 6) & 7, !!(mode & 0o4000), 's')}${rwx((mode >> 3) & 7, !!(mode & 0o2000), 's')}${rwx(mode & 7, !!(mode & 0o1000), 't')}`;
}

/** An entry as `ls -l` would show it: mode, size, modification time, name (a link's target after "->"). */
export function entryText(name: string, dir: boolean, d: DirEntry | undefined): string {
  const shown = `${name}${dir && d?.type !== 'symlink' ? '/' : ''}`;
  if (!d) return shown;
  const when = d.mtime.slice(0, 16).replace('T', ' ');
  const size = d.type === 'dir' ? '' : bytes(d.size);
  return `${modeString(d.mode)} ${size.padStart(6)}  ${when}  ${shown}${d.type === 'symlink' ? ` -> ${d.linkTarget}${dir && !d.linkTarget.endsWith('/') ? '/' : ''}` : ''}`;
}
