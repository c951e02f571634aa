/**
 * Ink 8 imports `throttle` from `es-toolkit/compat`, whose index re-exports the whole library:
 * Node links ~415 ES modules for one function, ~100 ms of the dashboard's first frame here. A
 * module resolve hook hands Ink a module that re-exports just the names Ink's import statement
 * asks for, from their own files in es-toolkit. Nothing is guessed: the names are read from the
 * importing file, and if any has no file of its own (or the statement is not the simple form),
 * Ink gets the real index. Must be installed before Ink loads; without `module.registerHooks`
 * (Node < 22.15) Ink keeps the full import.
 *
 * Ink's `react-reconciler` likewise, under NODE_ENV=production: its index picks the build with an
 * `if` around two `module.exports = require(…)`, and Node, importing CommonJS from an ES module,
 * reads and scans BOTH files for export names — the 0.8 MB development build's source then stays
 * on the heap for the life of the dashboard (a heap snapshot's largest string). Ink is handed the
 * production build the index would choose, loaded by require (requiredDefault), and nothing else
 * is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

type Resolve = (
  specifier: string,
  context: { parentURL?: string },
  next: (s: string, c: { parentURL?: string }) => { url: string },
) => { url: string; shortCircuit?: boolean };
type RegisterHooks = (hooks: { resolve: Resolve }) => unknown;

const SPECIFIER = 'es-toolkit/compat';
/** es-toolkit/compat's folders, one function per file (dist/compat/<folder>/<name>.mjs). */
const FOLDERS = ['function', 'array', 'object', 'predicate', 'string', 'math', 'util'];

let installed = false;

/** The names in `import { a, b as c } from 'es-toolkit/compat'` of `source`, or undefined. */
export function importedNames(source: string, specifier = SPECIFIER): string[] | undefined {
  const quoted = specifier.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&');
  const statements = [...source.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${quoted}['"]`, 'g'))];
  // Any other form (default, namespace, a second statement we cannot vouch for) keeps the index.
  if (statements.length !== 1 || new RegExp(`['"]${quoted}['"]`, 'g').exec(source.replace(statements[0]![0], '')) !== null) return undefined;
  const names = statements[0]![1]!
    .split(',')
    .map((s) => s.trim().split(/\s+as\s+/)[0]!)
    .filter(Boolean);
  return names.length && names.every((n) => /^[A-Za-z_$][\w$]*$/.test(n)) ? names : undefined;
}

/** A module re-exporting `names` from their own files under es-toolkit's dist/compat, or undefined. */
export function leanSource(compatIndexUrl: string, names: readonly string[]): string | undefined {
  const dir = dirname(fileURLToPath(compatIndexUrl));
  const lines: string[] = [];
  for (const name of names) {
    const file = FOLDERS.map((f) => join(dir, f, `${name}.mjs`)).find((p) => existsSync(p));
    if (!file) return undefined;
    lines.push(`export { ${name} } from ${JSON.stringify(pathToFileURL(file).href)};`);
  }
  return lines.join('\n');
}

/** The build react-reconciler's index would load under NODE_ENV=production, or undefined. */
export function reconcilerBuild(indexUrl: string): string | undefined {
  if (process.env['NODE_ENV'] !== 'production' || !/\/node_modules\/react-reconciler\/index\.js$/.test(indexUrl)) return undefined;
  const file = join(dirname(fileURLToPath(indexUrl)), 'cjs', 'react-reconciler.production.js');
  return existsSync(file) ? pathToFileURL(file).href : undefined;
}

/**
 * A module whose default export is this CommonJS file's `module.exports`, loaded by require:
 * imported as it is, Node scans the 0.46 MB build for export names first, and its ES module
 * loader costs ~80 ms of the first frame here against ~10 ms by require. Ink imports only the
 * default.
 */
export function requiredDefault(fileUrl: string): string {
  const source = `import { createRequire } from 'node:module';\nexport default createRequire(${JSON.stringify(fileUrl)})(${JSON.stringify(fileURLToPath(fileUrl))});\n`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

export function leanInkImports(): boolean {
  if (installed) return true;
  const register = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (typeof register !== 'function') return false;
  const made = new Map<string, string | undefined>();
  register({
    resolve(specifier, context, next) {
      const parent = context.parentURL ?? '';
      if (specifier === 'react-reconciler' && /\/node_modules\/ink\//.test(parent)) {
        const real = next(specifier, context);
        const build = reconcilerBuild(real.url);
        return build ? { url: requiredDefault(build), shortCircuit: true } : real;
      }
      if (specifier !== SPECIFIER || !/\/node_modules\/ink\//.test(parent)) return next(specifier, context);
      const real = next(specifier, context);
      const key = `${parent}\u0000${real.url}`;
      if (!made.has(key)) {
        let url: string | undefined;
        try {
          const names = importedNames(readFileSync(fileURLToPath(parent), 'utf8'));
          const source = names && leanSource(real.url, names);
          if (source) url = `data:text/javascript,${encodeURIComponent(source)}`;
        } catch {
          url = undefined; // unreadable: Ink gets the real index
        }
        made.set(key, url);
      }
      const url = made.get(key);
      return url ? { url, shortCircuit: true } : real;
    },
  });
  installed = true;
  return true;
}
