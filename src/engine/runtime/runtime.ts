/**
 * Which OCI runtime binary berth drives. runc by default; crun only where it works: crun 1.8
 * refuses cgroup v1 hybrid hosts ("cgroups in hybrid mode not supported"), which this test
 * host is. The choice is configurable (BERTH_RUNTIME or an explicit name/path); asking for crun
 * on a host where it cannot work is an 'unsupported' error instead of a failure at first run.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { EngineError, invalid } from '../errors.js';

export type CgroupMode = 'v2' | 'hybrid' | 'v1';

/** The host's cgroup layout, from what is mounted at /sys/fs/cgroup. */
export function cgroupMode(root = '/sys/fs/cgroup'): CgroupMode {
  if (existsSync(join(root, 'cgroup.controllers'))) return 'v2';
  if (existsSync(join(root, 'unified', 'cgroup.controllers'))) return 'hybrid';
  return 'v1';
}

/** An executable on PATH (or the absolute path itself), or undefined. */
export function findBinary(name: string, path = process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'): string | undefined {
  const candidates = isAbsolute(name) ? [name] : [...path.split(delimiter), '/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

export interface RuntimeChoice {
  name: 'runc' | 'crun' | string;
  binary: string;
}

/**
 * Picks the runtime: `wanted` (a name or path; default $BERTH_RUNTIME, else runc, else crun
 * where crun can work).
 */
export function chooseRuntime(wanted = process.env.BERTH_RUNTIME, mode: CgroupMode = cgroupMode()): RuntimeChoice {
  const crunOk = mode !== 'hybrid';
  if (wanted) {
    const bin = findBinary(wanted);
    if (!bin) throw invalid(`OCI runtime not found: ${wanted}`);
    const name = bin.split('/').pop()!;
    if (name === 'crun' && !crunOk) {
      throw new EngineError('unsupported', 'crun does not support cgroup v1 hybrid hosts; use runc');
    }
    return { name, binary: bin };
  }
  const runc = findBinary('runc');
  if (runc) return { name: 'runc', binary: runc };
  const crun = crunOk ? findBinary('crun') : undefined;
  if (crun) return { name: 'crun', binary: crun };
  throw new EngineError('unsupported', 'no usable OCI runtime found (install runc)');
}

/** conmon's path ($BERTH_CONMON or on PATH). */
export function findConmon(wanted = process.env.BERTH_CONMON): string {
  const bin = findBinary(wanted || 'conmon') ?? findBinary('/usr/libexec/podman/conmon');
  if (!bin) throw new EngineError('unsupported', 'conmon not found (install conmon)');
  return bin;
}
