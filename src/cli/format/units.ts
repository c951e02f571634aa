/** Docker's human units: sizes in decimal SI with 3 significant digits, ages in words. */

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** docker's units.HumanSizeWithPrecision (3 for lists: 1.24MB, 512B, 3.4GB; 4 is units.HumanSize). */
export function humanSize(bytes: number, precision = 3): string {
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < SIZE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(precision))}${SIZE_UNITS[i]}`;
}

/** docker's units.BytesSize (binary, used for memory): 1.5GiB, 12.3MiB. */
export function binarySize(bytes: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : v >= 10 ? 1 : 2).replace(/\.0+$/, '')}${u[i]}`;
}

export { humanDuration } from '../../engine/index.js';
import { humanDuration } from '../../engine/index.js';

export function ago(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || t <= 0) return 'N/A';
  return `${humanDuration(Math.max(0, now - t))} ago`;
}

/** Parses docker's size strings for --memory etc.: 512m, 1g, 100k, 1024 (bytes). */
export function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgtp]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`invalid size: '${s}'`);
  const mult: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  return Math.round(Number(m[1]) * mult[m[2]!.toLowerCase()]!);
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
