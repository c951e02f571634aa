/**
 * .dockerignore as docker reads it: one pattern per line (Go filepath.Match plus `**`), `#`
 * comments, `!` exceptions; the last matching pattern wins, and a pattern that matches a
 * directory excludes everything below it.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

interface Rule {
  re: RegExp;
  negate: boolean;
  /** The pattern's path segments, each matched alone. */
  segs: RegExp[];
  deep: boolean[];
}

function toRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // a match on a directory covers what is below it
  return new RegExp(`^${re}(?:/.*)?$`);
}

export class DockerIgnore {
  private readonly rules: Rule[];
  constructor(lines: string[]) {
    this.rules = [];
    for (let l of lines) {
      l = l.trim();
      if (!l || l.startsWith('#')) continue;
      const negate = l.startsWith('!');
      if (negate) l = l.slice(1).trim();
      let p = posix.normalize(l).replace(/^\/+/, '').replace(/\/+$/, '');
      if (p === '.' || p === '') p = '**';
      const parts = p.split('/');
      this.rules.push({ re: toRegExp(p), negate, segs: parts.map(toRegExp), deep: parts.map((x) => x.includes('**')) });
    }
  }

  static read(file: string): DockerIgnore {
    try {
      return new DockerIgnore(readFileSync(file, 'utf8').split('\n'));
    } catch {
      return new DockerIgnore([]);
    }
  }

  /** True when `rel` (a context-relative path with '/') is excluded. */
  ignored(rel: string): boolean {
    let out = false;
    for (const r of this.rules) if (r.re.test(rel)) out = !r.negate;
    return out;
  }

  /**
   * Whether an exception could re-include something below the directory `dir`: then an
   * excluded `dir` is still walked, each path below it judged alone (moby's patternmatcher rule;
   * docker checks literal prefixes, this also follows wildcards).
   */
  mayReincludeBelow(dir: string): boolean {
    const parts = dir.split('/');
    return this.rules.some((r) => {
      if (!r.negate) return false;
      for (let i = 0; i < parts.length; i++) {
        if (r.deep[i]) return true;
        if (i >= r.segs.length || !r.segs[i]!.test(parts[i]!)) return false;
      }
      return r.segs.length > parts.length;
    });
  }
}
