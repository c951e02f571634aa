/**
 * PAX extended headers ("%d %s=%s\n" records), binary-safe. node-tar and tar-stream decode
 * values as UTF-8 text (node-tar also cuts them at the first NUL), which destroys binary xattr
 * values such as `security.capability`; here a value stays the bytes it was.
 */
import { TarFormatError } from './header.js';

/** Records in archive order; keys are text, values raw bytes. */
export type PaxRecords = [key: string, value: Buffer][];

export function parsePax(buf: Buffer): PaxRecords {
  const out: PaxRecords = [];
  let off = 0;
  while (off < buf.length) {
    if (buf[off] === 0) break; // padding
    const sp = buf.indexOf(0x20, off);
    if (sp < 0) throw new TarFormatError('invalid PAX header: no length');
    const len = Number(buf.toString('latin1', off, sp));
    if (!Number.isInteger(len) || len <= sp - off + 1 || off + len > buf.length) throw new TarFormatError('invalid PAX header: bad record length');
    const rec = buf.subarray(sp + 1, off + len);
    if (rec[rec.length - 1] !== 0x0a) throw new TarFormatError('invalid PAX header: record not ended by a newline');
    const eq = rec.indexOf(0x3d);
    if (eq < 0) throw new TarFormatError('invalid PAX header: record without "="');
    out.push([rec.toString('latin1', 0, eq), rec.subarray(eq + 1, rec.length - 1)]);
    off += len;
  }
  return out;
}

/** One record, its length prefix counting itself. */
function record(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, 'latin1'), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len), 'latin1'), body]);
}

export function encodePax(records: PaxRecords): Buffer {
  return Buffer.concat(records.map(([k, v]) => record(k, v)));
}

export const XATTR_PREFIX = 'SCHILY.xattr.';
/** libarchive's form: the name URL-encoded, the value base64. */
export const LIBARCHIVE_XATTR_PREFIX = 'LIBARCHIVE.xattr.';
