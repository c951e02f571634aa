/**
 * No dependency builds a native addon at install (test/helpers/native-builds.ts says why), so
 * `./setup.sh` gives the same working berth whichever Node runs npm. The check itself is tried
 * on a lockfile shaped like the one that crashed (ssh2 and cpu-features), so that it cannot pass
 * by finding nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeBuilds } from '../helpers/native-builds.js';

const ROOT = process.env.BERTH_SRC_ROOT ?? fileURLToPath(new URL('../../../', import.meta.url));

test('package-lock.json: no package builds native code at install', () => {
  assert.deepEqual(nativeBuilds(ROOT), []);
});

test('the check finds what builds: node-gyp scripts, binding.gyp, .gyp files beside a script, packages it cannot read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-lock-'));
  try {
    const pkg = (name: string, manifest: object, files: Record<string, string> = {}) => {
      const d = join(dir, 'node_modules', name);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'package.json'), JSON.stringify({ name, ...manifest }));
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(d, f, '..'), { recursive: true });
        writeFileSync(join(d, f), text);
      }
    };
    pkg('cpu-features', { scripts: { install: 'node buildcheck.js > buildcheck.gypi && node-gyp rebuild' } });
    pkg('ssh2', { scripts: { install: 'node install.js' } }, { 'lib/protocol/crypto/binding.gyp': '{}' });
    pkg('esbuild', { scripts: { postinstall: 'node install.js' } });
    pkg('@napi-rs/xattr', {});
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'x' },
          'node_modules/cpu-features': { hasInstallScript: true, optional: true },
          'node_modules/ssh2': { hasInstallScript: true },
          'node_modules/esbuild': { hasInstallScript: true },
          'node_modules/@napi-rs/xattr': {},
          'node_modules/gyp-only': { gypfile: true },
          'node_modules/not-installed': { hasInstallScript: true },
        },
      }),
    );
    const found = nativeBuilds(dir);
    assert.equal(found.length, 4, found.join('\n'));
    assert.match(found[0]!, /^node_modules\/cpu-features: its install script builds native code \(.*node-gyp rebuild\)$/);
    assert.match(found[1]!, /^node_modules\/ssh2: an install script beside node-gyp files/);
    assert.match(found[2]!, /^node_modules\/gyp-only: a binding\.gyp/);
    assert.match(found[3]!, /^node_modules\/not-installed: .*cannot be checked/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
