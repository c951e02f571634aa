/**
 * Which packages of a lockfile would build native code at `npm install`. Why it matters: npm
 * builds an addon with whatever Node runs npm (Debian's nodejs 18 on a fresh Debian 12) against
 * that Node's headers and library (libnode.so.108); berth runs on its own Node 22, which then
 * loads the addon and a second Node runtime with it and crashes (cpu-features, through ssh2 and
 * dockerode, did exactly that on every -H). Prebuilt addons chosen per platform by optional
 * dependencies (@napi-rs/xattr, node-unix-socket) have no install script and are fine.
 *
 * The lockfile says which packages have an install script (`hasInstallScript`) or a binding.gyp
 * that npm builds by itself (`gypfile`), not what the script does: that is read from the
 * installed package. A package with a script that is not installed here cannot be cleared.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Tools and loaders whose install step compiles (or may fall back to compiling) an addon. */
const BUILDERS = /\b(node-gyp|node-gyp-build|prebuild-install|node-pre-gyp|cmake-js|napi-build|make|gcc|g\+\+|cc|cargo|zig)\b/;
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

interface LockEntry {
  hasInstallScript?: boolean;
  gypfile?: boolean;
}

/** The .gyp files of a package (its own, not its dependencies'). */
function gypFiles(dir: string, depth = 0): string[] {
  if (depth > 6) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules') continue;
    const p = join(dir, e);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...gypFiles(p, depth + 1));
    else if (/\.gypi?$/.test(e)) out.push(p);
  }
  return out;
}

/** One line per package of `root`'s package-lock.json that builds (or may build) native code at install. */
export function nativeBuilds(root: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, LockEntry> };
  const found: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path || !(entry.hasInstallScript || entry.gypfile)) continue;
    if (entry.gypfile) {
      found.push(`${path}: a binding.gyp that npm builds with node-gyp`);
      continue;
    }
    const manifest = join(root, path, 'package.json');
    if (!existsSync(manifest)) {
      found.push(`${path}: an install script that cannot be checked (not installed here)`);
      continue;
    }
    const scripts = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    const install = INSTALL_SCRIPTS.map((s) => scripts[s]).filter((s): s is string => !!s);
    const builder = install.find((s) => BUILDERS.test(s));
    if (builder) found.push(`${path}: its install script builds native code (${builder})`);
    else if (gypFiles(join(root, path)).length) found.push(`${path}: an install script beside node-gyp files (${install.join('; ')})`);
  }
  return found;
}
