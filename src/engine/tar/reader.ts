/**
 * A streaming tar reader for root filesystems and image layers: ustar, GNU (long names and
 * links, base-256 numbers, old sparse files) and PAX (long names, big ids and sizes, sub-second
 * times, binary xattrs, GNU sparse 0.0/0.1/1.0), the formats Go's archive/tar reads, so every
 * tar docker, containerd, buildkit or GNU tar writes. Written here because node-tar and
 * tar-stream lose binary PAX values (file capabilities) and read no sparse files.
 *
 * It is a push parser: `write` chunks as they come, the sink is called synchronously with
 * each entry, its data (file offsets included, for sparse files) and its end. Data chunks are
 * views of the input, not copies.
 */
import { BLOCK, TarFormatError, gnuSparseSlots, isZeroBlock, num, parseHeader, typeOf, type RawHeader, type TarType } from './header.js';
import { LIBARCHIVE_XATTR_PREFIX, parsePax, XATTR_PREFIX, type PaxRecords } from './pax.js';

export { TarFormatError };

export interface SparseRegion {
  offset: number;
  length: number;
}

export interface TarEntry {
  /** As in the archive (byte string, see header.ts); not cleaned. */
  path: string;
  type: TarType;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Seconds since the epoch, with a fraction when PAX gave one. */
  mtime: number;
  atime?: number;
  devmajor: number;
  devminor: number;
  /** Bytes of data stored in the archive for this entry. */
  size: number;
  /** The file's length (differs from `size` for sparse files). */
  realSize: number;
  /** Data regions of a sparse file; the rest are holes. */
  sparse?: SparseRegion[];
  xattrs: Map<string, Buffer>;
}

export interface TarSink {
  entry(e: TarEntry): void;
  /** A chunk of the current entry's content, to be written at `offset` in the file. */
  data(chunk: Buffer, offset: number): void;
  /** The current entry's data is complete. */
  end(): void;
}

const enum S {
  Header,
  Meta,
  SparseExt,
  SparseMap,
  Data,
  Skip,
  Done,
}

type MetaKind = 'pax' | 'pax-global' | 'gnu-longname' | 'gnu-longlink';

/** Go's archive/tar bound on PAX and GNU long-name headers: anything larger is hostile. */
const MAX_META = 1 << 20;

export class TarParser {
  private state = S.Header;
  /** Bytes gathered for a block or a meta-data body that spans chunks. */
  private acc: Buffer[] = [];
  private accLen = 0;
  private need = BLOCK;

  private metaKind: MetaKind = 'pax';
  private metaPad = 0;
  private pax: PaxRecords = [];
  private longName?: string;
  private longLink?: string;

  private header?: RawHeader;
  private entry?: TarEntry;
  private remaining = 0;
  private pad = 0;
  private skip = 0;
  /** Position within the stored data (sparse: mapped through `regions`). */
  private stored = 0;
  private regions?: SparseRegion[];
  private zeroBlocks = 0;
  private sparseFlagged: SparseRegion[] = [];
  private entries = 0;

  constructor(private readonly sink: TarSink) {}

  get finished(): boolean {
    return this.state === S.Done;
  }

  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      switch (this.state) {
        case S.Done:
          return; // trailing bytes after the end-of-archive marker are ignored, as Go does
        case S.Data: {
          const n = Math.min(this.remaining, chunk.length - off);
          this.deliver(chunk.subarray(off, off + n));
          off += n;
          this.remaining -= n;
          if (this.remaining === 0) this.finishData();
          break;
        }
        case S.Skip: {
          const n = Math.min(this.skip, chunk.length - off);
          off += n;
          this.skip -= n;
          if (this.skip === 0) this.toHeader();
          break;
        }
        default: {
          // Header, Meta, SparseExt, SparseMap: gather `need` bytes, then handle them whole.
          const want = this.need - this.accLen;
          const have = chunk.length - off;
          if (this.accLen === 0 && have >= want) {
            const block = chunk.subarray(off, off + want);
            off += want;
            this.gathered(block);
          } else {
            const n = Math.min(want, have);
            this.acc.push(chunk.subarray(off, off + n));
            this.accLen += n;
            off += n;
            if (this.accLen === this.need) {
              const block = Buffer.concat(this.acc, this.accLen);
              this.acc = [];
              this.accLen = 0;
              this.gathered(block);
            }
          }
        }
      }
    }
  }

  /** Call at the end of input: throws if the archive stopped inside an entry. */
  end(): void {
    if (this.state === S.Done) return;
    if (this.state === S.Header && this.accLen === 0 && this.pendingMetaEmpty()) {
      // EOF without (or with one) zero block: Go accepts it, so do we — but not an empty input.
      if (this.entries === 0 && this.zeroBlocks === 0) throw new TarFormatError('empty archive');
      this.state = S.Done;
      return;
    }
    throw new TarFormatError('unexpected end of archive');
  }

  private pendingMetaEmpty(): boolean {
    return this.pax.length === 0 && this.longName === undefined && this.longLink === undefined;
  }

  private gathered(b: Buffer): void {
    switch (this.state) {
      case S.Header:
        return this.onHeader(b);
      case S.Meta:
        return this.onMeta(b);
      case S.SparseExt:
        return this.onSparseExt(b);
      case S.SparseMap:
        return this.onSparseMap(b);
    }
  }

  private toHeader(): void {
    this.state = S.Header;
    this.need = BLOCK;
  }

  private onHeader(b: Buffer): void {
    if (isZeroBlock(b, 0)) {
      if (++this.zeroBlocks >= 2) this.state = S.Done;
      return;
    }
    if (this.zeroBlocks > 0) throw new TarFormatError('invalid tar archive: data after a zero block');
    const h = parseHeader(b, 0);
    const t = typeOf(h);
    const padded = Math.ceil(h.size / BLOCK) * BLOCK;
    switch (t) {
      case 'pax':
      case 'pax-global':
      case 'gnu-longname':
      case 'gnu-longlink':
        if (h.size > MAX_META) throw new TarFormatError(`invalid tar archive: ${t} header of ${h.size} bytes`);
        this.metaKind = t;
        this.metaPad = padded - h.size;
        if (h.size === 0) return this.onMeta(Buffer.alloc(0));
        this.state = S.Meta;
        this.need = h.size;
        return;
      case 'skip':
      case 'gnu-dumpdir':
        if (t === 'gnu-dumpdir') return this.emit(h, 'dir', padded);
        this.resetMeta();
        this.skipBytes(padded);
        return;
      case 'gnu-sparse': {
        this.sparseFlagged = gnuSparseSlots(b, 386, 4);
        this.header = h;
        if (b[482]) {
          this.state = S.SparseExt;
          this.need = BLOCK;
          return;
        }
        return this.startGnuSparse(num(b, 483, 12));
      }
      default:
        return this.emit(h, t, padded);
    }
  }

  private onMeta(body: Buffer): void {
    switch (this.metaKind) {
      case 'pax':
        this.pax.push(...parsePax(body));
        break;
      case 'pax-global':
        // Go hands global headers to its caller and moby ignores them: nothing is inherited.
        parsePax(body);
        break;
      case 'gnu-longname':
        this.longName = cString(body);
        break;
      case 'gnu-longlink':
        this.longLink = cString(body);
        break;
    }
    this.skipBytes(this.metaPad);
  }

  private onSparseExt(b: Buffer): void {
    this.sparseFlagged.push(...gnuSparseSlots(b, 0, 21));
    if (b[504]) return; // another extension block follows
    // realsize lives in the original header; we kept it there
    this.startGnuSparseFromHeader();
  }

  private gnuRealSize = 0;
  private startGnuSparse(realSize: number): void {
    this.gnuRealSize = realSize;
    this.startGnuSparseFromHeader();
  }
  private startGnuSparseFromHeader(): void {
    const h = this.header!;
    const padded = Math.ceil(h.size / BLOCK) * BLOCK;
    this.emit(h, 'file', padded, this.sparseFlagged, this.gnuRealSize || sparseEnd(this.sparseFlagged));
  }

  private skipBytes(n: number): void {
    if (n === 0) return this.toHeader();
    this.state = S.Skip;
    this.skip = n;
  }

  private resetMeta(): void {
    this.pax = [];
    this.longName = undefined;
    this.longLink = undefined;
  }

  /** Applies the pending PAX/GNU overrides to `h` and hands the entry to the sink. */
  private emit(h: RawHeader, type: TarType, padded: number, gnuSparse?: SparseRegion[], gnuReal?: number): void {
    const e: TarEntry = {
      path: this.longName ?? h.name,
      type,
      linkname: this.longLink ?? h.linkname,
      mode: h.mode & 0o7777,
      uid: h.uid,
      gid: h.gid,
      uname: h.uname,
      gname: h.gname,
      mtime: h.mtime,
      ...(h.atime ? { atime: h.atime } : {}),
      devmajor: h.devmajor,
      devminor: h.devminor,
      size: h.size,
      realSize: gnuReal ?? h.size,
      xattrs: new Map(),
    };
    if (gnuSparse) e.sparse = gnuSparse;
    let sparseMajor: string | undefined;
    let sparseMinor: string | undefined;
    let sparseMap: string | undefined;
    const pairs: number[] = [];
    for (const [k, v] of this.pax) {
      const s = () => v.toString('latin1');
      switch (k) {
        case 'path':
          if (this.longName === undefined) e.path = s();
          break;
        case 'linkpath':
          if (this.longLink === undefined) e.linkname = s();
          break;
        case 'size':
          e.size = e.realSize = int(s(), k);
          padded = Math.ceil(e.size / BLOCK) * BLOCK;
          break;
        case 'uid':
          e.uid = int(s(), k);
          break;
        case 'gid':
          e.gid = int(s(), k);
          break;
        case 'uname':
          e.uname = s();
          break;
        case 'gname':
          e.gname = s();
          break;
        case 'mtime':
          e.mtime = time(s(), k);
          break;
        case 'atime':
          e.atime = time(s(), k);
          break;
        case 'GNU.sparse.name':
          e.path = s();
          break;
        case 'GNU.sparse.size':
        case 'GNU.sparse.realsize':
          e.realSize = int(s(), k);
          break;
        case 'GNU.sparse.major':
          sparseMajor = s();
          break;
        case 'GNU.sparse.minor':
          sparseMinor = s();
          break;
        case 'GNU.sparse.map':
          sparseMap = s();
          break;
        case 'GNU.sparse.offset':
        case 'GNU.sparse.numbytes':
          pairs.push(int(s(), k));
          break;
        default:
          if (k.startsWith(XATTR_PREFIX)) e.xattrs.set(k.slice(XATTR_PREFIX.length), v);
          else if (k.startsWith(LIBARCHIVE_XATTR_PREFIX)) {
            e.xattrs.set(
              Buffer.from(decodeURIComponent(k.slice(LIBARCHIVE_XATTR_PREFIX.length)), 'utf8').toString('latin1'),
              Buffer.from(v.toString('latin1'), 'base64'),
            );
          }
      }
    }
    this.resetMeta();
    this.entries++;
    this.header = h;
    this.entry = e;
    this.stored = 0;
    if (type !== 'file') {
      // Header-only types carry no data whatever their size field says (Go's isHeaderOnlyType);
      // a GNU dump-dir's listing and a v7 directory's body are skipped.
      this.sink.entry({ ...e, size: 0, realSize: 0 });
      this.sink.end();
      this.skipBytes(h.flag === 'D' || h.flag === '0' || h.flag === '7' ? padded : 0);
      return;
    }
    if (sparseMajor === '1' && sparseMinor === '0') {
      // PAX 1.0: the map is the first block(s) of the data, decimal numbers one per line
      this.pad = padded - e.size;
      this.remaining = e.size;
      this.state = S.SparseMap;
      this.need = BLOCK;
      this.mapText = '';
      return;
    }
    if (sparseMap !== undefined)
      e.sparse = pairsToRegions(
        sparseMap
          .split(',')
          .filter((x) => x !== '')
          .map((x) => int(x, 'GNU.sparse.map')),
      );
    else if (pairs.length) e.sparse = pairsToRegions(pairs);
    this.startData(e, padded);
  }

  private mapText = '';
  private onSparseMap(b: Buffer): void {
    this.remaining -= BLOCK;
    if (this.remaining < 0) throw new TarFormatError('invalid tar archive: sparse map longer than its entry');
    this.mapText += b.toString('latin1');
    const lines = this.mapText.split('\n');
    const count = Number(lines[0]);
    if (!Number.isInteger(count) || count < 0) throw new TarFormatError('invalid tar archive: bad sparse map');
    // complete when 1 + 2*count full lines are present
    if (lines.length - 1 < 1 + 2 * count) {
      this.need = BLOCK;
      return;
    }
    const nums = lines.slice(1, 1 + 2 * count).map((x) => int(x, 'sparse map'));
    const e = this.entry!;
    e.sparse = pairsToRegions(nums);
    e.size = this.remaining;
    this.sink.entry(e);
    this.beginStream(this.remaining, this.pad);
  }

  private startData(e: TarEntry, padded: number): void {
    if (e.sparse) {
      const stored = e.sparse.reduce((a, r) => a + r.length, 0);
      if (stored !== e.size) throw new TarFormatError(`invalid tar archive: sparse map of ${e.path} does not match its size`);
      if (e.realSize < sparseEnd(e.sparse)) e.realSize = sparseEnd(e.sparse);
    }
    this.sink.entry(e);
    this.beginStream(e.size, padded - e.size);
  }

  private beginStream(size: number, pad: number): void {
    this.remaining = size;
    this.pad = pad;
    this.regions = this.entry!.sparse;
    this.stored = 0;
    if (size === 0) return this.finishData();
    this.state = S.Data;
  }

  private deliver(chunk: Buffer): void {
    const regions = this.regions;
    if (!regions) {
      this.sink.data(chunk, this.stored);
      this.stored += chunk.length;
      return;
    }
    // map stored bytes onto the file's regions
    let pos = 0;
    while (pos < chunk.length) {
      let base = 0;
      let r: SparseRegion | undefined;
      for (const x of regions) {
        if (this.stored < base + x.length) {
          r = x;
          break;
        }
        base += x.length;
      }
      if (!r) throw new TarFormatError('invalid tar archive: sparse data beyond its map');
      const within = this.stored - base;
      const n = Math.min(r.length - within, chunk.length - pos);
      this.sink.data(chunk.subarray(pos, pos + n), r.offset + within);
      pos += n;
      this.stored += n;
    }
  }

  private finishData(): void {
    this.sink.end();
    this.entry = undefined;
    this.skipBytes(this.pad);
  }
}

function cString(b: Buffer): string {
  const z = b.indexOf(0);
  return b.toString('latin1', 0, z < 0 ? b.length : z);
}

function int(s: string, what: string): number {
  const n = Number(s.trim());
  if (!Number.isSafeInteger(n) || n < 0) throw new TarFormatError(`invalid tar archive: bad ${what} ${JSON.stringify(s)}`);
  return n;
}

function time(s: string, what: string): number {
  const n = Number(s.trim());
  if (!Number.isFinite(n)) throw new TarFormatError(`invalid tar archive: bad ${what} ${JSON.stringify(s)}`);
  return n;
}

function pairsToRegions(nums: number[]): SparseRegion[] {
  if (nums.length % 2) throw new TarFormatError('invalid tar archive: odd sparse map');
  const out: SparseRegion[] = [];
  for (let i = 0; i < nums.length; i += 2) out.push({ offset: nums[i]!, length: nums[i + 1]! });
  return out;
}

function sparseEnd(r: SparseRegion[]): number {
  return r.reduce((m, x) => Math.max(m, x.offset + x.length), 0);
}
