/**
 * Matches docker paths against the routes' patterns. `{id}` takes one segment, `{name*}` the
 * longest run of segments that still lets the rest of the pattern match (image names carry
 * slashes: `/images/localhost:5000/a/b/json`). Versioned paths `/v1.NN/…` are stripped first.
 */
import type { Method, Route } from './route.js';

interface Compiled {
  route: Route;
  re: RegExp;
  names: string[];
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: Method[] } | undefined;

function compile(route: Route): Compiled {
  const names: string[] = [];
  let src = '';
  for (const part of route.path.split(/(\{[a-zA-Z]+\*?\})/)) {
    const m = /^\{([a-zA-Z]+)(\*?)\}$/.exec(part);
    if (!m) {
      src += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    names.push(m[1]!);
    src += m[2] ? '(.+)' : '([^/]+)';
  }
  return { route, re: new RegExp(`^${src}/?$`), names };
}

export class Router {
  private readonly compiled: Compiled[];
  constructor(routes: Route[]) {
    // Patterns without `*` first, so `/images/{name*}/json` never swallows `/images/json`.
    this.compiled = routes.map(compile).sort((a, b) => Number(a.route.path.includes('*')) - Number(b.route.path.includes('*')));
  }

  /** A route and its params; `{allowed}` when only the method is wrong; undefined: no such path. */
  match(method: string, path: string): Match {
    const allowed: Method[] = [];
    // HEAD falls back to the GET route when the path has no HEAD of its own (archive has one).
    for (const wanted of method === 'HEAD' ? ['HEAD', 'GET'] : [method]) {
      for (const c of this.compiled) {
        const m = c.re.exec(path);
        if (!m) continue;
        if (c.route.method !== wanted) {
          if (!allowed.includes(c.route.method)) allowed.push(c.route.method);
          continue;
        }
        const params: Record<string, string> = {};
        c.names.forEach((n, i) => {
          params[n] = safeDecode(m[i + 1]!);
        });
        return { route: c.route, params };
      }
    }
    return allowed.length ? { allowed } : undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `/v1.41/containers/json` → { version: '1.41', path: '/containers/json' }. */
export function splitVersion(pathname: string): { version?: string; path: string } {
  const m = /^\/v(\d+\.\d+)(\/.*)$/.exec(pathname);
  return m ? { version: m[1]!, path: m[2]! } : { path: pathname };
}
