/**
 * docker's detach keys: `--detach-keys "ctrl-p,ctrl-q"` (the default). Each comma-separated item
 * is one character or ctrl-<c> with c in a-z @ [ \ ] ^ _. Typing the sequence detaches instead
 * of reaching the container; a partial match is held back and let through once it stops matching.
 */
import { invalid } from '../errors.js';

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** The byte sequence for a docker-syntax key list; empty for '' (detaching disabled). */
export function parseDetachKeys(spec: string): Buffer {
  if (spec === '') return Buffer.alloc(0);
  const out: number[] = [];
  for (const raw of spec.split(',')) {
    const k = raw.trim();
    if (k.length === 1) {
      out.push(k.charCodeAt(0));
      continue;
    }
    const m = /^ctrl-(.)$/i.exec(k);
    if (!m) throw invalid(`invalid detach keys: unknown key ${JSON.stringify(k)}`);
    const c = m[1]!;
    if (/[a-z]/i.test(c)) out.push(c.toLowerCase().charCodeAt(0) - 96);
    else if ('@[\\]^_'.includes(c)) out.push('@[\\]^_'.indexOf(c) === 0 ? 0 : 26 + '@[\\]^_'.indexOf(c));
    else throw invalid(`invalid detach keys: unknown key ${JSON.stringify(k)}`);
  }
  return Buffer.from(out);
}

/** Streams input through, watching for the detach sequence across chunk boundaries. */
export class DetachMatcher {
  private held = 0; // bytes of `keys` matched so far (and held back)
  constructor(private readonly keys: Buffer) {}

  /** Returns the bytes to forward and whether the sequence completed (later bytes are dropped). */
  feed(chunk: Buffer): { forward: Buffer; detach: boolean } {
    if (this.keys.length === 0) return { forward: chunk, detach: false };
    const out: number[] = [];
    for (const b of chunk) {
      if (b === this.keys[this.held]) {
        this.held++;
        if (this.held === this.keys.length) return { forward: Buffer.from(out), detach: true };
        continue;
      }
      // Mismatch: what was held was ordinary input after all.
      for (let i = 0; i < this.held; i++) out.push(this.keys[i]!);
      this.held = 0;
      if (b === this.keys[0]) this.held = 1;
      else out.push(b);
    }
    return { forward: Buffer.from(out), detach: false };
  }
}
