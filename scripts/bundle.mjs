// Bundles tsc's output of the two entry points bin/berth and conmon run (the CLI and the exit
// hook) into dist/bundle/, one file per lazily loaded part (esbuild's splitting keeps the
// dynamic imports lazy). Why: Node's ESM loader resolves, reads and compiles ~100 files for
// every command; one file per part cuts start-up CPU by ~30 % here. Tests import dist/src;
// whatever runs bin/berth runs the bundle.
// Left out of the bundle: native addons, packages that locate their own files (ink, react: the
// dashboard loads them lazily and patches ink's output cache by its path), and the large
// optional ones only -H or the dashboard load.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Node's built-ins. An ESM `import ... from 'node:x'` builds the module's ESM facade, which
// reads every export: importing node:fs alone loads fs/promises, the stream classes and
// readline (~10 ms). And every chunk that imports node:child_process (it loads net and dgram)
// or node:crypto paid for them even when the command never spawns or hashes; commander
// requires child_process at load. `ps` loaded ~90 internal modules it never used. So a static
// import of a built-in reads exports made here instead:
// - of a built-in Node has loaded at start-up anyway (fs, path, events…): each export read from
//   require('node:x') when the bundle starts (esbuild drops the unused ones, so fs.promises is
//   read only if imported);
// - of the others, each function is a stand-in that requires the built-in at its first call
//   (its own properties, e.g. execFile's promisify.custom, are forwarded), the default export
//   a Proxy that requires it at the first look; classes and constants are read when their
//   chunk runs.
// All of that but the classes and constants is one module, and berth's own named imports
// (tsc writes each on one line) are rewritten to import from it, so that the ~15 built-ins
// berth imports do not each add a chunk to every command (esbuild gives a module that only
// re-exports a chunk of its own, if empty). A require() of a built-in in a bundled
// CommonJS package stays as it is, but for a built-in not loaded at start-up whose export is
// an object: that one gets an object whose properties require it at first access.
// Export names and shapes come from the Node that builds; bin/berth runs the same one.
const nodeRequire = createRequire(import.meta.url);
// loaded by Node at start-up
const atStartup = new Set(['events', 'buffer', 'diagnostics_channel', 'async_hooks', 'timers', 'path', 'querystring', 'util', 'fs', 'url', 'process', 'module']);
// not needed, and requiring them to list their exports prints warnings
const skipped = new Set(['punycode', 'sys', 'wasi', 'test', 'test/reporters']);
// (node:sqlite, not in builtinModules, stays an ESM import: its facade is four exports)
const shimmed = (name) => builtinModules.includes(name) && !name.startsWith('_') && !skipped.has(name);
/** A property key as JS source, or undefined for a symbol no other code can name. */
function keySource(k) {
  if (typeof k === 'string') return JSON.stringify(k);
  const reg = Symbol.keyFor(k);
  if (reg !== undefined) return `Symbol.for(${JSON.stringify(reg)})`;
  const known = Object.getOwnPropertyNames(Symbol).find((n) => Symbol[n] === k);
  return known ? `Symbol.${known}` : undefined;
}
/** The keys of a function's own properties to forward, or undefined if one cannot be. */
function forwardable(f) {
  const keys = Reflect.ownKeys(f).filter((k) => !['length', 'name', 'prototype', 'arguments', 'caller'].includes(k)).map(keySource);
  return keys.includes(undefined) ? undefined : keys;
}
/** How each export of a built-in is made: 'pick' (read at load) in the shared module, 'wrap' (stand-in) there, or 'local' (read when the importing chunk runs). */
function plan(name) {
  const real = nodeRequire(`node:${name}`);
  const out = [];
  for (const k of Object.getOwnPropertyNames(real)) {
    if (k === 'default' || !/^[A-Za-z_$][\w$]*$/.test(k)) continue;
    if (atStartup.has(name)) {
      out.push({ k, how: 'pick' });
      continue;
    }
    const d = Object.getOwnPropertyDescriptor(real, k);
    const props = !d.get && typeof d.value === 'function' && /^[a-z]/.test(k) ? forwardable(d.value) : undefined;
    out.push(props ? { k, how: 'wrap', props } : { k, how: 'local' });
  }
  // default: the module itself (at start-up, or a function as node:stream's), else a lazy view
  out.push({ k: 'default', how: atStartup.has(name) ? 'pick-module' : typeof real === 'function' ? 'local-module' : 'lazy-object' });
  return out;
}
const ident = (name) => name.replace(/\W/g, '_');
// process.getBuiltinModule (Node ≥ 22.3) skips require's loader and its hooks
const builtin = (id) => `(process.getBuiltinModule?.(${id}) ?? require(${id}))`;
const builtins = {
  name: 'builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z_/:]+$/ }, (a) => {
      const name = a.path.replace(/^node:/, '');
      // dynamic import() is lazy already; the shims' own require is the real one
      if (a.namespace !== 'file' || !shimmed(name)) return undefined;
      if (a.kind === 'import-statement') return { path: name, namespace: 'builtin-esm' };
      if (a.kind === 'require-call' && !atStartup.has(name) && typeof nodeRequire(`node:${name}`) !== 'function') return { path: name, namespace: 'builtin-cjs' };
      return undefined;
    });
    b.onResolve({ filter: /^berth:builtins$/ }, () => ({ path: 'shared', namespace: 'builtin-shared' }));
    b.onLoad({ filter: /\/dist\/src\/.*\.js$/ }, (a) => {
      const source = readFileSync(a.path, 'utf8');
      const contents = source.replace(/^import \{([^}]*)\} from 'node:([a-z_/]+)';$/gm, (line, names, name) => {
        if (!shimmed(name)) return line;
        const how = new Map(plan(name).map((e) => [e.k, e.how]));
        const shared = [];
        const local = [];
        for (const spec of names.split(',').map((x) => x.trim()).filter(Boolean)) {
          const [k, as = k] = spec.split(/\s+as\s+/);
          if (how.get(k) === 'pick' || how.get(k) === 'wrap') shared.push(`${ident(name)}$${k} as ${as}`);
          else local.push(spec);
        }
        return [shared.length && `import { ${shared.join(', ')} } from 'berth:builtins';`, local.length && `import { ${local.join(', ')} } from 'node:${name}';`].filter(Boolean).join(' ');
      });
      return { contents, loader: 'js', resolveDir: dirname(a.path) };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-shared' }, () => {
      const lines = [
        `const __real = {};`,
        `const __load = (id) => (__real[id] ??= ${builtin("'node:' + id")});`,
        `const __pick = (id, k) => __load(id)[k];`,
        `const __wrap = (id, k, props) => { const f = { [k]: function () { return __load(id)[k].apply(this, arguments); } }[k]; for (const p of props) Object.defineProperty(f, p, { get: () => __load(id)[k][p] }); return f; };`,
        // a view of the module that loads it at the first look (cheaper to make than a getter per export)
        `const __lazyObject = (id) => new Proxy({}, { get: (_, k) => __load(id)[k], has: (_, k) => k in __load(id), ownKeys: () => Reflect.ownKeys(__load(id)), getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(__load(id), k); return d && { ...d, configurable: true }; } });`,
      ];
      for (const name of builtinModules.filter(shimmed)) {
        for (const e of plan(name)) {
          const id = `${ident(name)}$${e.k}`;
          const n = JSON.stringify(name);
          if (e.how === 'pick') lines.push(`export const ${id} = /* @__PURE__ */ __pick(${n}, ${JSON.stringify(e.k)});`);
          else if (e.how === 'wrap') lines.push(`export const ${id} = /* @__PURE__ */ __wrap(${n}, ${JSON.stringify(e.k)}, [${e.props.join(', ')}]);`);
          else if (e.how === 'pick-module') lines.push(`export const ${id} = /* @__PURE__ */ __load(${n});`);
          else if (e.how === 'lazy-object') lines.push(`export const ${id} = /* @__PURE__ */ __lazyObject(${n});`);
        }
      }
      return { loader: 'js', contents: `${lines.join('\n')}\n` };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, (a) => {
      const shared = [];
      const lines = [`let __real;`, `const __pick = (k) => (__real ??= ${builtin(`'node:${a.path}'`)})[k];`];
      for (const e of plan(a.path)) {
        if (e.how === 'local') lines.push(`export const ${e.k} = /* @__PURE__ */ __pick(${JSON.stringify(e.k)});`);
        else if (e.how === 'local-module') lines.push(`const __default = /* @__PURE__ */ (__real ??= ${builtin(`'node:${a.path}'`)});`, `export { __default as default };`);
        else shared.push(`${ident(a.path)}$${e.k} as ${e.k}`);
      }
      lines.push(`export { ${shared.join(', ')} } from 'berth:builtins';`);
      return { loader: 'js', contents: `${lines.join('\n')}\n` };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-cjs' }, (a) => ({
      loader: 'js',
      contents: `let real;
const lazy = {};
for (const k of ${JSON.stringify(Object.getOwnPropertyNames(nodeRequire(`node:${a.path}`)))}) Object.defineProperty(lazy, k, { enumerable: true, get: () => (real ??= ${builtin(`'node:${a.path}'`)})[k] });
module.exports = lazy;
`,
    }));
  },
};

// bin/berth runs main.js and conmon exit-hook.js: small modules that install a resolve hook for
// the chunks, then import the bundled entry. Node's own resolution of an import (URL parsing,
// realpath, stat, the package.json lookup that tells the format) cost ~0.1 ms per import, and a
// command's ~40 chunks import each other ~200 times: ~15 ms of `ps`. A chunk imports only
// './chunk-….js' beside it, an ES module; everything else goes the usual way. Without
// module.registerHooks (Node < 22.15) the chunks resolve as before.
const entries = { main: 'berth-main', 'exit-hook': 'berth-exit-hook' };
const launcher = (target) => `// Made by scripts/bundle.mjs: a resolve hook for the bundle's chunks, then ${target}.
import module from 'node:module';
const dir = new URL('./', import.meta.url).href;
module.registerHooks?.({
  resolve: (specifier, context, next) =>
    specifier.startsWith('./') && context.parentURL?.startsWith(dir) ? { url: dir + specifier.slice(2), format: 'module', shortCircuit: true } : next(specifier, context),
});
await import('./${target}');
`;

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/bundle');
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { [entries.main]: join(root, 'dist/src/cli/main.js'), [entries['exit-hook']]: join(root, 'dist/src/cli/exit-hook.js') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  define: { BERTH_BUNDLED: 'true' },
  // CommonJS packages inside an ESM bundle call require (for node's built-ins): give them one,
  // made at the first call (createRequire in each of the ~40 chunks a command loads cost ~2 ms).
  banner: { js: "import { createRequire as __berthCreateRequire } from 'node:module'; let __berthRequire; const require = (id) => (__berthRequire ??= __berthCreateRequire(import.meta.url))(id);" },
  external: [
    'ink', 'ink-*', '@pppp606/ink-chart', 'react', 'react/*', 'react-reconciler', 'scheduler', 'react-devtools-core',
    'node-unix-socket', '@napi-rs/xattr', 'dockerode', 'ssh2', 'cpu-features', 'systeminformation',
  ],
  plugins: [builtins],
  logLevel: 'warning',
});
for (const [name, target] of Object.entries(entries)) writeFileSync(join(out, `${name}.js`), launcher(`${target}.js`));
