/**
 * Looking for registry secrets where they must never be: a set of named needles (a password,
 * its base64 forms, the start of a bearer token) searched in text, files and processes. A hit
 * is reported by the needle's name and where, never by the secret itself (test logs are logs).
 */
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export class Needles {
  private readonly list: { name: string; bytes: Buffer }[] = [];

  /** A password: itself, base64 (and base64url) of it and of "user:password" (the Basic header). */
  password(name: string, user: string, password: string): this {
    this.add(name, password);
    for (const [form, text] of [
      ['', password],
      [' with its user', `${user}:${password}`],
    ] as const) {
      // unpadded: a padded form would not match inside a longer base64 string
      this.add(`${name}${form} in base64`, Buffer.from(text).toString('base64').replace(/=+$/, ''));
      this.add(`${name}${form} in base64url`, Buffer.from(text).toString('base64url'));
    }
    return this;
  }

  add(name: string, text: string): this {
    if (!this.list.some((n) => n.bytes.equals(Buffer.from(text)))) this.list.push({ name, bytes: Buffer.from(text) });
    return this;
  }

  /** Names of the needles found in `hay`. */
  in(hay: Buffer | string): string[] {
    const b = typeof hay === 'string' ? Buffer.from(hay) : hay;
    return this.list.filter((n) => b.includes(n.bytes)).map((n) => n.name);
  }
}

/** Regular files below `dir` (not following links), except those `skip` names. */
export function filesBelow(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (skip(p)) continue;
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** "file: needle" for each needle found in each file. */
export function scanFiles(needles: Needles, files: string[]): string[] {
  const hits: string[] = [];
  for (const f of files) {
    let b: Buffer;
    try {
      b = readFileSync(f);
    } catch {
      continue; // nsfs files and the like cannot be read; they hold no text
    }
    for (const n of needles.in(b)) hits.push(`${f}: ${n}`);
  }
  return hits;
}

const read = (p: string) => {
  try {
    return readFileSync(p);
  } catch {
    return Buffer.alloc(0);
  }
};

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    for (const k of read(`/proc/${pid}/task/${t}/children`).toString().trim().split(/\s+/).filter(Boolean)) {
      out.push(Number(k), ...childrenOf(Number(k)));
    }
  }
  return out;
}

/**
 * One look at the process list: every process's command line, and the environment of `pid`
 * and its descendants (berth and the helpers it runs; the test's own token service keeps its
 * users in its environment, so not every environment is berth's to answer for).
 */
export function scanProcesses(needles: Needles, pid: number): string[] {
  const hits: string[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const argv = read(`/proc/${p}/cmdline`);
    for (const n of needles.in(argv)) hits.push(`argv of ${argv.toString().split('\0')[0]} (pid ${p}): ${n}`);
  }
  for (const p of [pid, ...childrenOf(pid)]) {
    const env = read(`/proc/${p}/environ`);
    for (const n of needles.in(env)) hits.push(`environment of ${read(`/proc/${p}/cmdline`).toString().split('\0')[0]} (pid ${p}): ${n}`);
  }
  return hits;
}
