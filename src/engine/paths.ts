/**
 * Where berth keeps things: persistent state under the root (default /var/lib/berth), runtime
 * files (sockets, pid files, netns, mounts) under the runroot (default /run/berth). Both can be
 * moved with --root/--runroot or BERTH_ROOT/BERTH_RUNROOT, which is how tests isolate themselves.
 */
import { join, resolve } from 'node:path';

export interface EnginePaths {
  root: string;
  runRoot: string;
  db: string;
  blobs: string;
  layers: string;
  containers: string;
  volumes: string;
  tmp: string;
  /** The builder's step cache (build/cache.ts). */
  buildCache: string;
  /** Runtime-side dirs. */
  runc: string;
  exits: string;
  sockets: string;
  mounts: string;
}

export function enginePaths(opts: { root?: string; runRoot?: string } = {}): EnginePaths {
  const root = resolve(opts.root ?? process.env.BERTH_ROOT ?? '/var/lib/berth');
  const runRoot = resolve(opts.runRoot ?? process.env.BERTH_RUNROOT ?? '/run/berth');
  return {
    root,
    runRoot,
    db: join(root, 'berth.db'),
    blobs: join(root, 'blobs', 'sha256'),
    layers: join(root, 'layers'),
    containers: join(root, 'containers'),
    volumes: join(root, 'volumes'),
    tmp: join(root, 'tmp'),
    buildCache: join(root, 'build-cache'),
    runc: join(runRoot, 'runc'),
    exits: join(runRoot, 'exits'),
    sockets: join(runRoot, 'sockets'),
    mounts: join(runRoot, 'mounts'),
  };
}
