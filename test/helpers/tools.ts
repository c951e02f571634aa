/**
 * Programs the tests run, all of which setup.sh installs. A missing one fails the tests that need
 * it, naming the package, and never skips them: CI has everything, so a skip would only hide a
 * broken set-up (5 podman cases once skipped unnoticed on a fresh machine).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

/** The first of `paths` that exists. */
export function findTool(paths: string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

/** The first of `paths` that exists; else an Error that says which package brings it. */
export function requireTool(paths: string[], pkg: string): string {
  const found = findTool(paths);
  if (!found) throw new Error(`${basename(paths[0]!)} is not installed (./setup.sh installs it; by hand: apt-get install ${pkg})`);
  return found;
}

/** Tests that change the host (namespaces, mounts, daemons) need root; only that may skip them. */
export const NEEDS_ROOT = process.getuid?.() !== 0 ? 'needs root' : undefined;
