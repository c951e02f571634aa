// Bundles tsc's output of the entry points bin/berth and conmon run (the CLI, the exit hook, and
// the log writer that lives beside a container, a state root's healthcheck monitor) into dist/bundle/, one
// file per lazily loaded part (esbuild's splitting keeps the dynamic imports lazy). Why: Node's ESM loader resolves, reads and compiles ~100 files for
// every command; one file per part cuts start-up CPU by ~30 % here. Tests import dist/src;
// whatever runs bin/berth runs the bundle.
// Left out of the bundle: native addons, packages that locate their own files (ink, react: the
// dashboard loads them lazily and patches ink's output cache by its path), and the large
// optional ones only -H or the dashboard load.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// bin/berth runs main.js, conmon exit-hook.js, a container's log writer log-pump.js and a state
// root's healthcheck monitor health-monitor.js: small modules that install a resolve hook for
// the chunks, then import the bundled entry. Node's own resolution of an import (URL parsing,
// realpath, stat, the package.json lookup that tells the format) cost ~0.1 ms per import, and a
// command's ~40 chunks import each other ~200 times: ~15 ms of `ps`. A chunk imports only
// './chunk-….js' beside it, an ES module; everything else goes the usual way. Without
// module.registerHooks (Node < 22.15) the chunks resolve as before.
const entries = { main: 'berth-main', 'exit-hook': 'berth-exit-hook', 'log-pump': 'berth-log-pump', 'health-monitor': 'berth-health-monitor' };
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

// tsc never deletes the output of a source that is gone, and the CLI's command loader
// (`import(\`./${file}.js\`)`) makes esbuild take every .js beside it: a stale one of a removed
// command would be bundled, and fail the build if it imports what no longer exists.
function dropStale(dir, src) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) dropStale(p, join(src, e.name));
    else if (/\.js(\.map)?$/.test(e.name)) {
      const base = join(src, e.name.replace(/\.js(\.map)?$/, ''));
      if (!existsSync(`${base}.ts`) && !existsSync(`${base}.tsx`)) rmSync(p);
    }
  }
}
dropStale(join(root, 'dist/src'), join(root, 'src'));
await build({
  entryPoints: {
    [entries.main]: join(root, 'dist/src/cli/main.js'),
    [entries['exit-hook']]: join(root, 'dist/src/cli/exit-hook.js'),
    [entries['log-pump']]: join(root, 'dist/src/cli/log-pump.js'),
    [entries['health-monitor']]: join(root, 'dist/src/cli/health-monitor.js'),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  define: { BERTH_BUNDLED: 'true' },
  // CommonJS packages inside an ESM bundle call require (for node's built-ins): give them one,
  // made at the first call (createRequire in each of the ~40 chunks a command loads cost ~2 ms).
  banner: {
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; let __berthRequire; const require = (id) => (__berthRequire ??= __berthCreateRequire(import.meta.url))(id);",
  },
  external: [
    'ink',
    'ink-*',
    'react',
    'react/*',
    'react-reconciler',
    'scheduler',
    'react-devtools-core',
    'node-unix-socket',
    '@napi-rs/xattr',
    'systeminformation',
  ],
  logLevel: 'warning',
});
for (const [name, target] of Object.entries(entries)) writeFileSync(join(out, `${name}.js`), launcher(`${target}.js`));
