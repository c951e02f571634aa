/**
 * Paths as byte strings. Linux file names are bytes, not text: a layer may hold names that are
 * not UTF-8, and decoding them as UTF-8 would change them. The tar code keeps every name as a
 * latin1 string (one char per byte, so '/' and '.' are still themselves) and hands the
 * filesystem the exact bytes; names shown to people are decoded as UTF-8.
 */

/** The bytes of a byte-string path, for fs calls. Pure-ASCII paths stay strings (no copy). */
export function bytesPath(p: string): string | Buffer {
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) > 0x7f) return Buffer.from(p, 'latin1');
  return p;
}

/** A byte-string path as text, for messages and for APIs that only take strings. */
export function textPath(p: string): string {
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) > 0x7f) return Buffer.from(p, 'latin1').toString('utf8');
  return p;
}

/** True when the byte string is valid UTF-8 (so `textPath` names the same file). */
export function isUtf8Path(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p.charCodeAt(i) > 0x7f) {
      const b = Buffer.from(p, 'latin1');
      return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
    }
  }
  return true;
}

/** A directory entry name read as bytes (readdir with encoding 'buffer'). */
export function fromBytes(b: Buffer): string {
  return b.toString('latin1');
}

/** A JS (UTF-8) string as a byte string. */
export function toBytes(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'utf8').toString('latin1');
  return s;
}
