/**
 * Registry pull and push of a ~50 MB image (4 gzip layers of incompressible data) over loopback,
 * berth against skopeo in the same run. Target: berth ≤ 1.5 × skopeo.
 *
 * Each push goes to a registry started afresh (empty storage) so neither tool can skip or
 * mount a blob. Each pull goes into an empty destination: berth a new state root, skopeo a new
 * containers-storage (overlay, as `podman pull` does: both verify and unpack every layer); a
 * skopeo copy into a bare OCI layout (no unpacking) is reported alongside.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { LocalRegistry } from '../test/helpers/registry.js';

export interface RegistryBenchOptions {
  n?: number;
  /** bin/berth */
  berth: string;
  env?: NodeJS.ProcessEnv;
  log?: (s: string) => void;
  /** Total image size in MB (default 50). */
  mb?: number;
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function tarOf(name: string, data: Buffer): Buffer {
  // a one-file ustar archive
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
  );
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([h, data, pad, Buffer.alloc(1024)]);
}

/** An OCI layout with `layers` gzip layers totalling ~mb MB. */
function makeLayout(dir: string, mb: number, layers = 4): void {
  const blobs = join(dir, 'blobs/sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (b: Buffer) => {
    const d = sha(b);
    writeFileSync(join(blobs, d.slice(7)), b);
    return d;
  };
  const descs = [];
  const diffIds = [];
  for (let i = 0; i < layers; i++) {
    const tar = tarOf(`data${i}.bin`, randomBytes(Math.floor((mb * 1e6) / layers)));
    diffIds.push(sha(tar));
    const gz = gzipSync(tar, { level: constants.Z_BEST_SPEED });
    descs.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: put(gz), size: gz.length });
  }
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch;
  const cfg = Buffer.from(
    JSON.stringify({ architecture: arch, os: 'linux', created: new Date().toISOString(), config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }),
  );
  const man = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(cfg), size: cfg.length },
      layers: descs,
    }),
  );
  const md = put(man);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: md,
          size: man.length,
          annotations: { 'org.opencontainers.image.ref.name': 'bench' },
        },
      ],
    }),
  );
}

function timed(file: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(file, args, { env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr?.toString().trim().split('\n').at(-1)}`);
  return ms;
}

/** Unmounts what skopeo's containers-storage left mounted below `dir` (its overlay home). */
function unmountUnder(dir: string): void {
  let info = '';
  try {
    info = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return;
  }
  const points = info
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  for (const p of points.sort().reverse()) spawnSync('umount', ['-l', p], { stdio: 'ignore' });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchRegistry(
  o: RegistryBenchOptions,
): Promise<{ id: string; benchmark: string; unit: string; berth: number; target: number; notes: string }[]> {
  const n = Math.max(1, Math.min(o.n ?? 3, 5));
  const mb = o.mb ?? 50;
  const log = o.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-registry-'));
  const regs: LocalRegistry[] = [];
  const fresh = async () => {
    const r = await LocalRegistry.start();
    regs.push(r);
    return r;
  };
  const berthEnv = (root: string) => ({ ...(o.env ?? process.env), BERTH_ROOT: join(dir, root), BERTH_RUNROOT: join(dir, `${root}-run`), NO_COLOR: '1' });
  const skopeo = ['--insecure-policy'];
  try {
    log(`  registry: making a ${mb} MB image`);
    const layout = join(dir, 'layout');
    makeLayout(layout, mb);
    execFileSync('tar', ['-C', layout, '-cf', join(dir, 'layout.tar'), '.']);
    const src = berthEnv('src');
    execFileSync(o.berth, ['load', '-i', join(dir, 'layout.tar')], { env: src, stdio: 'ignore' });
    const id = execFileSync(o.berth, ['images', '-q'], { env: src, encoding: 'utf8' }).trim().split('\n')[0]!;
    execFileSync(o.berth, ['tag', id, 'bench-src:1'], { env: src }); // keeps the image while per-run tags come and go

    const push = { berth: [] as number[], skopeo: [] as number[] };
    const pull = { berth: [] as number[], skopeo: [] as number[] };
    let seed: LocalRegistry | undefined;
    for (let i = 0; i < n; i++) {
      // push: each tool into an empty registry
      const a = await fresh();
      execFileSync(o.berth, ['tag', id, `${a.host}/bench:1`], { env: src });
      push.berth.push(timed(o.berth, ['push', `${a.host}/bench:1`], src));
      const b = await fresh();
      push.skopeo.push(timed('skopeo', [...skopeo, 'copy', '--dest-tls-verify=false', `oci:${layout}:bench`, `docker://${b.host}/bench:1`]));
      execFileSync(o.berth, ['rmi', `${a.host}/bench:1`], { env: src, stdio: 'ignore' });
      await b.stop();
      seed ??= a;
      if (a !== seed) await a.stop();
      log(`  registry: push ${i + 1}/${n}: berth ${push.berth.at(-1)!.toFixed(0)} ms, skopeo ${push.skopeo.at(-1)!.toFixed(0)} ms`);
    }
    const layoutPull: number[] = [];
    for (let i = 0; i < n; i++) {
      const env = berthEnv(`pull${i}`);
      pull.berth.push(timed(o.berth, ['pull', `${seed!.host}/bench:1`], env));
      // skopeo into containers-storage (overlay, as podman pull): it too unpacks the layers
      const cs = join(dir, `cs${i}`);
      pull.skopeo.push(
        timed('skopeo', [
          ...skopeo,
          'copy',
          '--src-tls-verify=false',
          `docker://${seed!.host}/bench:1`,
          `containers-storage:[overlay@${cs}/root+${cs}/run]${seed!.host}/bench:1`,
        ]),
      );
      unmountUnder(cs);
      rmSync(cs, { recursive: true, force: true });
      const out = join(dir, `skopeo-out${i}`);
      layoutPull.push(timed('skopeo', [...skopeo, 'copy', '--src-tls-verify=false', `docker://${seed!.host}/bench:1`, `oci:${out}:bench`]));
      spawnSync(o.berth, ['system', 'reset', '--force'], { env, stdio: 'ignore' });
      rmSync(out, { recursive: true, force: true });
      log(
        `  registry: pull ${i + 1}/${n}: berth ${pull.berth.at(-1)!.toFixed(0)} ms, skopeo→containers-storage ${pull.skopeo.at(-1)!.toFixed(0)} ms, skopeo→oci ${layoutPull.at(-1)!.toFixed(0)} ms`,
      );
    }
    const row = (what: string, m: { berth: number[]; skopeo: number[] }, note: string) => {
      const s = median(m.skopeo);
      return {
        id: 'registry',
        benchmark: `${what} ${mb} MB image (4 gzip layers), loopback`,
        unit: 'ms',
        berth: Math.round(median(m.berth)),
        target: Math.round(1.5 * s),
        notes: `skopeo ${s.toFixed(0)} ms (median of ${n}); ${note}`,
      };
    };
    return [
      row('push', push, 'fresh registry per push'),
      row(
        'pull',
        pull,
        `skopeo into containers-storage overlay (unpacks, as berth does); skopeo into a bare OCI layout (no unpacking): ${median(layoutPull).toFixed(0)} ms`,
      ),
    ];
  } finally {
    unmountUnder(dir);
    for (const r of regs) await r.stop().catch(() => undefined);
    spawnSync(o.berth, ['system', 'reset', '--force'], { env: berthEnv('src'), stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

export default benchRegistry;
