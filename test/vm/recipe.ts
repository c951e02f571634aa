/**
 * What the test VM's base image is made of: a Debian 12 root with what berth needs, booting
 * straight into one job (see guest-files.ts). The cache is keyed by a hash of all of it, so a
 * change here (a package, a guest file, the build steps' version) builds a new image instead of
 * reusing a stale one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GUEST_FILES, GUEST_LINKS, GUEST_SCRIPTS, MASKED_UNITS } from './guest-files.js';

export const RECIPE = {
  suite: 'bookworm',
  mirror: 'http://deb.debian.org/debian',
  variant: 'minbase',
  /**
   * The kernel and init (Debian 12's systemd boots a pure cgroup v2 hierarchy), what the engine
   * runs (as setup.sh's ENGINE_PKGS), libstdc++ for the project's Node binary, and the system
   * bus that systemd hosts have (runc's systemd cgroup driver talks to systemd through it).
   */
  packages: [
    'linux-image-amd64',
    'systemd-sysv',
    'udev',
    'runc',
    'conmon',
    'containernetworking-plugins',
    'iptables',
    'iproute2',
    'busybox-static',
    'util-linux',
    'mount',
    'libstdc++6',
    'procps',
    'dbus',
  ],
  /** Size of the root file system image (sparse: only what is written takes space). */
  rootSize: '2G',
  files: GUEST_FILES,
  scripts: GUEST_SCRIPTS,
  links: GUEST_LINKS,
  masked: MASKED_UNITS,
} as const;

export type Recipe = typeof RECIPE;

/** The build steps (a shell script beside this file's source; tsc does not copy it to dist). */
export const BUILD_SCRIPT = new URL('../../../test/vm/build-image.sh', import.meta.url).pathname;

/** The cache key: a hash of the whole recipe, guest files and build steps included. */
export function recipeKey(recipe: Recipe = RECIPE): string {
  return createHash('sha256').update(JSON.stringify(recipe)).update(readFileSync(BUILD_SCRIPT)).digest('hex').slice(0, 16);
}
