/**
 * The init --init runs as the container's pid 1 (it reaps orphaned zombies and passes signals on
 * to the command). It is bind-mounted from the host into every image, even one with no libc
 * (busybox), so it must be statically linked: docker's docker-init (Debian links it to
 * tini-static), tini-static, or catatonit (static, podman's). Debian's dynamic `tini` is the
 * last resort. $BERTH_INIT names another.
 */
import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { invalid } from '../errors.js';

const CANDIDATES = ['docker-init', 'tini-static', 'catatonit', 'tini'];
const EXTRA_DIRS = ['/usr/libexec/docker', '/usr/libexec/podman', '/usr/local/libexec/podman'];

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether an ELF file asks for a dynamic loader (a PT_INTERP segment). */
export function isDynamic(p: string): boolean {
  try {
    const b = readFileSync(p);
    if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return false; // ELF64 only
    const phoff = Number(b.readBigUInt64LE(32));
    const phentsize = b.readUInt16LE(54);
    const phnum = b.readUInt16LE(56);
    for (let i = 0; i < phnum; i++) if (b.readUInt32LE(phoff + i * phentsize) === 3) return true; // PT_INTERP
    return false;
  } catch {
    return false;
  }
}

/** The host path of the init to mount (links resolved: a bind mount of a link fails). */
export function findInit(): string {
  const fromEnv = process.env.BERTH_INIT;
  if (fromEnv) {
    if (!executable(fromEnv)) throw invalid(`BERTH_INIT=${fromEnv} is not an executable file`);
    return realpathSync(fromEnv);
  }
  const dirs = [...(process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':').filter(Boolean), ...EXTRA_DIRS];
  const found: string[] = [];
  for (const name of CANDIDATES) {
    for (const d of dirs) {
      const p = join(d, name);
      if (existsSync(p) && executable(p)) found.push(realpathSync(p));
    }
  }
  const init = found.find((p) => !isDynamic(p)) ?? found[0];
  if (!init) throw invalid('exec: "docker-init": executable file not found in $PATH (--init needs tini, catatonit or docker-init: apt-get install tini)');
  return init;
}
