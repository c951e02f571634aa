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
      this.rules.push({ re: toRegExp(p), negate });
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

  /** Whether anything below `rel` could be re-included by an exception. */
  mayReinclude(): boolean {
    return this.rules.some((r) => r.negate);
  }
}
