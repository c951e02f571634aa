/**
 * The VM's base image, built once per machine and recipe and cached in a root-only directory:
 * a kernel, its initrd and an ext4 image of the root (booted read-only: qemu's snapshot=on keeps
 * each run's writes in a temporary overlay). Concurrent test runs are safe: one builds under a
 * kernel lock (dropped if the builder dies), the others wait for it; the image appears by a
 * rename of its finished directory, so nobody ever sees half of one.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { withHostLock } from '../../src/net/cni-lock.js';
import { runStep } from './exec.js';
import { BUILD_SCRIPT, RECIPE, recipeKey } from './recipe.js';

export const CACHE_ROOT = process.env.BERTH_VM_CACHE ?? '/var/cache/berth-test';

export interface VmImage {
  dir: string;
  key: string;
  kernel: string;
  initrd: string;
  root: string;
}

/** Cached images of other recipes unused for this long are removed when a new one is built. */
const STALE_MS = 14 * 24 * 3600 * 1000;
/** The whole build (network-bound: ~150 MB from deb.debian.org). */
const BUILD_TIMEOUT_MS = 25 * 60 * 1000;

const parts = (dir: string, key: string): VmImage => ({ dir, key, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), root: join(dir, 'root.img') });
const complete = (img: VmImage) => [img.kernel, img.initrd, img.root, join(img.dir, 'recipe.json')].every((f) => existsSync(f));

/** The cached image for this recipe, building it first when there is none. */
export async function ensureVmImage(log: (line: string) => void = () => undefined): Promise<VmImage> {
  const key = recipeKey();
  const img = parts(join(CACHE_ROOT, `debian12-${key}`), key);
  if (!complete(img)) {
    mkdirSync(CACHE_ROOT, { recursive: true, mode: 0o700 });
    chmodSync(CACHE_ROOT, 0o700); // root-only: runs boot what is in it
    await withHostLock(
      join(CACHE_ROOT, `.lock-${key}`),
      async () => {
        if (complete(img)) return; // built by whoever held the lock before us
        const t0 = Date.now();
        log(`building the VM image ${key} (debootstrap ${RECIPE.suite} from ${RECIPE.mirror}) …`);
        await build(img, log);
        log(`VM image built in ${Math.round((Date.now() - t0) / 1000)} s`);
        pruneOthers(img);
      },
      BUILD_TIMEOUT_MS / 1000 + 60,
    );
  }
  // Marks it used, for pruneOthers of a later recipe.
  const now = new Date();
  utimesSync(join(img.dir, 'recipe.json'), now, now);
  return img;
}

async function build(img: VmImage, log: (line: string) => void): Promise<void> {
  // We hold the lock: any other build directory of this key is a dead builder's.
  for (const e of readdirSync(CACHE_ROOT)) if (e.startsWith(`debian12-${img.key}.build-`)) rmSync(join(CACHE_ROOT, e), { recursive: true, force: true });
  const work = `${img.dir}.build-${process.pid}`;
  const overlay = `${work}.overlay`;
  mkdirSync(work, { mode: 0o700 });
  try {
    writeOverlay(overlay);
    // A private mount and PID namespace (see build-image.sh): its mounts vanish with it, and a
    // kill of the step ends every process it started.
    const output = await runStep(
      'build the VM image',
      ['unshare', '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', 'sh', BUILD_SCRIPT, work, overlay],
      {
        timeoutMs: BUILD_TIMEOUT_MS,
        env: {
          ...process.env,
          SUITE: RECIPE.suite,
          MIRROR: RECIPE.mirror,
          VARIANT: RECIPE.variant,
          PACKAGES: RECIPE.packages.join(' '),
          ROOT_SIZE: RECIPE.rootSize,
        },
      },
    );
    const steps = stepTimes(output);
    for (const s of steps) log(`  ${s}`);
    const missing = ['vmlinuz', 'initrd.img', 'root.img'].filter((f) => !existsSync(join(work, f)));
    if (missing.length) throw new Error(`the image build left no ${missing.join(', ')}:\n${output}`);
    writeFileSync(join(work, 'recipe.json'), `${JSON.stringify({ key: img.key, built: new Date().toISOString(), steps, recipe: RECIPE }, null, 2)}\n`);
    renameSync(work, img.dir);
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(overlay, { recursive: true, force: true });
  }
}

/** "<epoch> <step>" lines of build-image.sh → "step: N s". */
function stepTimes(output: string): string[] {
  const marks = [...output.matchAll(/^(\d{10}) (.*)$/gm)].map((m) => ({ t: Number(m[1]), what: m[2]! }));
  return marks.slice(0, -1).map((m, i) => `${m.what}: ${marks[i + 1]!.t - m.t} s`);
}

/** The guest's own files as a tree build-image.sh copies over the root. */
function writeOverlay(overlay: string): void {
  rmSync(overlay, { recursive: true, force: true });
  for (const [path, text] of Object.entries(RECIPE.files)) {
    const p = join(overlay, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  for (const [path, text] of Object.entries(RECIPE.scripts)) {
    const p = join(overlay, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text, { mode: 0o755 });
  }
  const link = (path: string, target: string) => {
    const p = join(overlay, path);
    mkdirSync(dirname(p), { recursive: true });
    symlinkSync(target, p);
  };
  for (const [path, target] of RECIPE.links) link(path, target);
  for (const unit of RECIPE.masked) link(`/etc/systemd/system/${unit}`, '/dev/null');
  mkdirSync(join(overlay, 'job'), { recursive: true });
}

/** Removes images of other recipes nobody used for STALE_MS (their recipe.json's mtime). */
function pruneOthers(img: VmImage): void {
  for (const e of readdirSync(CACHE_ROOT)) {
    const dir = join(CACHE_ROOT, e);
    if (!e.startsWith('debian12-') || dir === img.dir || e.includes('.build-')) continue;
    let used = 0;
    try {
      used = statSync(join(dir, 'recipe.json')).mtimeMs;
    } catch {
      /* incomplete: stale too */
    }
    if (Date.now() - used > STALE_MS) rmSync(dir, { recursive: true, force: true });
  }
  // Lock files stay (a few KB): one removed under a waiting builder would let two build at once.
}
