// Bundles tsc's output of the two entry points bin/berth and conmon run (the CLI and the exit
// hook) into dist/bundle/, one file per lazily loaded part (esbuild's splitting keeps the
// dynamic imports lazy). Why: Node's ESM loader resolves, reads and compiles ~100 files for
// every command; one file per part cuts start-up CPU by ~30 % here. Tests import dist/src;
// whatever runs bin/berth runs the bundle.
// Left out of the bundle: native addons, packages that locate their own files (ink, react: the
// dashboard loads them lazily and patches ink's output cache by its path), and the large
// optional ones only -H or the dashboard load.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';

// Node's built-ins. An ESM `import ... from 'node:x'` builds the module's ESM facade, which
// reads every export: importing node:fs alone loads fs/promises, the stream classes and
// readline (~10 ms). And every chunk that imports node:child_process (it loads net and dgram)
// or node:crypto paid for them even when the command never spawns or hashes; commander
// requires child_process at load. `ps` loaded ~90 internal modules it never used. So:
// - `import { f } from 'node:x'` reads a small ES module made here: for a built-in Node has
//   not loaded at start-up, each function export is a stand-in that requires the built-in at
//   its first call (its own properties, e.g. execFile's promisify.custom, are forwarded);
//   every other export (classes, constants), and everything of the built-ins Node has loaded
//   anyway (fs, path, events…), is read from require('node:x') when the chunk runs. esbuild
//   drops the unused exports, so only what is imported is read (fs.promises only if asked).
// - `require('node:x')` in bundled CommonJS packages gets an object whose properties require
//   the built-in at first access (built-ins whose export is a function, node:process and those
//   loaded at start-up: the real module).
// Export names and shapes come from the Node that builds; bin/berth runs the same one.
const nodeRequire = createRequire(import.meta.url);
const atStartup = new Set(['events', 'buffer', 'diagnostics_channel', 'async_hooks', 'timers', 'path', 'querystring', 'util', 'fs', 'url', 'process', 'module']);
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
const builtins = {
  name: 'builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z_/:]+$/ }, (a) => {
      const name = a.path.replace(/^node:/, '');
      // dynamic import() is lazy already; the shims' own require is the real one
      if (a.namespace !== 'file' || !builtinModules.includes(name)) return undefined;
      if (a.kind === 'import-statement') return { path: name, namespace: 'builtin-esm' };
      if (a.kind === 'require-call') return { path: name, namespace: 'builtin-cjs' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, (a) => {
      const real = nodeRequire(`node:${a.path}`);
      const lines = [`let __real;`, `const __load = () => (__real ??= require('node:${a.path}'));`, `const __pick = (k) => __load()[k];`];
      lines.push(`const __wrap = (k, props) => { const f = { [k]: function () { return __load()[k].apply(this, arguments); } }[k]; for (const p of props) Object.defineProperty(f, p, { get: () => __load()[k][p] }); return f; };`);
      // the default export: the module itself, or for a built-in loaded on demand an object
      // whose properties load it (an export that is a function, as node:stream's, is the module)
      const lazyDefault = !atStartup.has(a.path) && typeof real !== 'function';
      lines.push(
        lazyDefault
          ? `const __default = /* @__PURE__ */ Object.defineProperties({}, Object.fromEntries(${JSON.stringify(Object.getOwnPropertyNames(real))}.map((k) => [k, { enumerable: true, get: () => __load()[k] }])));`
          : `const __default = /* @__PURE__ */ __load();`,
        `export { __default as default };`,
      );
      for (const k of Object.getOwnPropertyNames(real)) {
        if (k === 'default' || !/^[A-Za-z_$][\w$]*$/.test(k)) continue;
        const d = Object.getOwnPropertyDescriptor(real, k);
        const props = !atStartup.has(a.path) && !d.get && typeof d.value === 'function' && /^[a-z]/.test(k) ? forwardable(d.value) : undefined;
        lines.push(props ? `export const ${k} = /* @__PURE__ */ __wrap(${JSON.stringify(k)}, [${props.join(', ')}]);` : `export const ${k} = /* @__PURE__ */ __pick(${JSON.stringify(k)});`);
      }
      return { loader: 'js', contents: `${lines.join('\n')}\n` };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-cjs' }, (a) => {
      const real = nodeRequire(`node:${a.path}`);
      if (typeof real === 'function' || atStartup.has(a.path)) return { loader: 'js', contents: `module.exports = require('node:${a.path}');\n` };
      return {
        loader: 'js',
        contents: `let real;
const lazy = {};
for (const k of ${JSON.stringify(Object.getOwnPropertyNames(real))}) Object.defineProperty(lazy, k, { enumerable: true, get: () => (real ??= require('node:${a.path}'))[k] });
module.exports = lazy;
`,
      };
    });
  },
};

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/bundle');
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { main: join(root, 'dist/src/cli/main.js'), 'exit-hook': join(root, 'dist/src/cli/exit-hook.js') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  define: { BERTH_BUNDLED: 'true' },
  // CommonJS packages inside an ESM bundle call require (for node's built-ins): give them one.
  banner: { js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);" },
  external: [
    'ink', 'ink-*', '@pppp606/ink-chart', 'react', 'react/*', 'react-reconciler', 'scheduler', 'react-devtools-core',
    'node-unix-socket', '@napi-rs/xattr', 'dockerode', 'ssh2', 'cpu-features', 'systeminformation',
  ],
  plugins: [builtins],
  logLevel: 'warning',
});
