/**
 * overlayfs whiteouts: a deleted file is a 0/0 character device in an upper/diff dir, an opaque
 * directory carries the xattr trusted.overlay.opaque=y. Node can neither mknod nor set xattrs:
 * mknod comes from coreutils (one spawn per layer), xattrs from @napi-rs/xattr.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

// Loaded on first use: its native loader probes the libc (process.report), ~20 ms at start-up.
let xattr: typeof import('@napi-rs/xattr') | undefined;
function lib(): typeof import('@napi-rs/xattr') {
  return (xattr ??= createRequire(import.meta.url)('@napi-rs/xattr') as typeof import('@napi-rs/xattr'));
}
import { runtimeError } from '../errors.js';

export const OPAQUE_XATTR = 'trusted.overlay.opaque';

/** Makes each path a whiteout (0/0 char device). Paths must already be safe. */
export function makeWhiteouts(paths: string[]): void {
  if (paths.length === 0) return;
  try {
    execFileSync('sh', ['-c', 'for p; do rm -rf -- "$p" && mknod -m 0 -- "$p" c 0 0 || exit 1; done', 'sh', ...paths], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    throw runtimeError(`cannot create whiteouts: ${(e as { stderr?: Buffer }).stderr?.toString().trim() ?? e}`, e);
  }
}

export function markOpaque(dir: string): void {
  lib().setAttributeSync(dir, OPAQUE_XATTR, 'y');
}

export function isOpaque(dir: string): boolean {
  try {
    return lib().getAttributeSync(dir, OPAQUE_XATTR)?.toString() === 'y';
  } catch {
    return false;
  }
}
