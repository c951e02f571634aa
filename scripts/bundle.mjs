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
import { join } from 'node:path';

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
  logLevel: 'warning',
});
