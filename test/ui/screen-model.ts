/**
 * A small terminal model for the Ink patches' tests: a grid of cells (character + SGR state)
 * that applies the sequences Ink and the patches write — printable text, SGR, CHA (G), CUU (A),
 * CUD (B), CNL (E), EL (K), CR/LF — with an xterm-like pending wrap at the last column. Anything
 * else throws, so a test notices a sequence it did not expect.
 */
import { scanLine } from '../../src/ui/sgr-scan.js';

export interface Cell {
  ch: string;
  style: string;
}

export class Screen {
  cells: Cell[][];
  row = 0;
  col = 0;
  private sgr = '';
  private style = '';
  private pendingWrap = false;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.cells = Array.from({ length: rows }, () => this.blank());
  }

  private blank(): Cell[] {
    return Array.from({ length: this.columns }, () => ({ ch: ' ', style: '' }));
  }

  /** The lines as (character, style) cells, for comparing what two byte streams drew. */
  view(): string[] {
    return this.cells.map((r) => r.map((c) => `${c.ch}\u0000${c.style}`).join('\u0001'));
  }

  text(): string[] {
    return this.cells.map((r) =>
      r
        .map((c) => c.ch)
        .join('')
        .trimEnd(),
    );
  }

  write(s: string): void {
    for (let i = 0; i < s.length;) {
      const c = s[i]!;
      if (c === '\u001B') {
        const m = /^\u001B\[([\d;]*)([A-Za-z])/.exec(s.slice(i));
        if (!m) throw new Error(`unexpected escape at ${JSON.stringify(s.slice(i, i + 8))}`);
        this.csi(m[1]!, m[2]!, m[0]);
        i += m[0].length;
        continue;
      }
      if (c === '\n') {
        this.row = Math.min(this.rows - 1, this.row + 1);
        this.col = 0;
        this.pendingWrap = false;
      } else if (c === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else {
        if (this.pendingWrap) {
          this.row = Math.min(this.rows - 1, this.row + 1);
          this.col = 0;
          this.pendingWrap = false;
        }
        this.cells[this.row]![this.col] = { ch: c, style: this.style };
        if (this.col === this.columns - 1) this.pendingWrap = true;
        else this.col++;
      }
      i++;
    }
  }

  private csi(params: string, final: string, raw: string): void {
    const n = params === '' ? 1 : Number(params);
    this.pendingWrap = false;
    switch (final) {
      case 'm':
        this.sgr += raw;
        this.style = scanLine(`${this.sgr}x`)!.styles[0]!;
        return;
      case 'G':
        this.col = Math.min(this.columns - 1, n - 1);
        return;
      case 'A':
        this.row = Math.max(0, this.row - n);
        return;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n);
        return;
      case 'E':
        this.row = Math.min(this.rows - 1, this.row + n);
        this.col = 0;
        return;
      case 'K':
        if (params !== '' && params !== '0') throw new Error(`EL ${params}`);
        // Erasing paints the current background; any non-default style marks the cells, so a
        // test sees an erase made in the wrong style.
        for (let x = this.col; x < this.columns; x++) this.cells[this.row]![x] = { ch: ' ', style: this.style && `erased in ${this.style}` };
        return;
      default:
        throw new Error(`unexpected CSI ${JSON.stringify(raw)}`);
    }
  }
}
