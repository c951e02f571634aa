/**
 * The instructions that add a layer of files: COPY and ADD, and WORKDIR when it has to create
 * its directory. Their sources are packed into a tar, hashed for the cache key, unpacked as the
 * layer, and the state so far enters the store as an image.
 */
import { mkdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { invalid, isEngineError } from '../errors.js';
import { unpackLayer } from '../image/layer-unpack.js';
import { layerMediaType } from '../image/make-image.js';
import { Staging } from '../image/staging.js';
import type { StagedLayer } from '../image/store.js';
import { stepKey } from './cache.js';
import type { Step } from './dockerfile.js';
import { COMMENT, type Layer, type State, type StepHost } from './build-state.js';
import { chownIds, mountImage, statIn } from './layer-fs.js';
import { packSources, resolveSources, type SourceRoot } from './sources.js';

/** COPY and ADD (local sources, --from a stage or an image, --chown, --chmod). */
export async function copyStep(b: StepHost, state: State, s: Step, x: (t: string) => string): Promise<void> {
  if (s.flags.link !== undefined) {
    /* --link only changes how BuildKit stacks the layer: same result here */
  }
  const words = (s.json ?? s.words).map((w) => x(w));
  const dest0 = words.at(-1)!;
  const srcs = words.slice(0, -1);
  const wd = state.config.WorkingDir || '/';
  const dest = dest0.startsWith('/') ? dest0 : posix.join(wd, dest0) + (dest0.endsWith('/') || dest0 === '.' ? '/' : '');
  if (s.keyword === 'ADD') {
    for (const src of srcs) {
      if (/^https?:\/\//.test(src)) {
        try {
          const r = await fetch(src, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
          throw invalid(`ADD failed: downloading ${src} is not supported by berth yet (answered ${r.status}); fetch it with RUN or into the context`);
        } catch (e) {
          if (isEngineError(e)) throw e;
          throw invalid(`ADD failed: failed to GET ${src}: ${((e as { cause?: Error }).cause ?? (e as Error)).message}`);
        }
      }
      if (/^git@|\.git$/.test(src)) throw invalid(`ADD failed: git sources are not supported: ${src}`);
    }
  }
  let root: SourceRoot = { root: b.context, ignore: b.ignore, what: 'build context' };
  let from: Layer[] | undefined;
  let fromKey = '';
  const fromName = s.flags.from;
  if (fromName !== undefined) {
    const n = x(fromName).toLowerCase();
    const byName = b.stages.find((st) => st.name === n) ?? (/^\d+$/.test(n) ? b.stages[Number(n)] : undefined);
    if (byName) {
      from = byName.layers;
      fromKey = byName.key;
      root = { root: '', what: `stage ${n}` };
    } else {
      const r = await b.imageState(x(fromName), s.line);
      from = r.state.layers;
      fromKey = r.id;
      root = { root: '', what: `image ${fromName}` };
    }
  }
  const createdBy = `${s.keyword} ${fromName !== undefined ? `--from=${fromName} ` : ''}${s.flags.chown ? `--chown=${s.flags.chown} ` : ''}${s.flags.chmod ? `--chmod=${s.flags.chmod} ` : ''}${srcs.join(' ')} ${dest0} # buildkit`;
  await layerStep(b, state, s, createdBy, { dest, sources: srcs, root, from, fromKey, extract: s.keyword === 'ADD' });
}

/** A step that adds one layer made from sources (COPY, ADD, WORKDIR of a missing directory). */
export async function layerStep(
  b: StepHost,
  state: State,
  s: Step,
  createdBy: string,
  what: { dest: string; sources: string[]; root: SourceRoot; from?: Layer[]; fromKey?: string; extract?: boolean },
): Promise<void> {
  const stage = new Staging(b.store.paths.tmp);
  let mount: { dir: string; release: () => Promise<void> } | undefined;
  try {
    const owner = chownIds(b.store, state, s.flags.chown, s.line);
    let chmod: number | undefined;
    if (s.flags.chmod) {
      if (!/^[0-7]{3,4}$/.test(s.flags.chmod)) throw invalid(`Dockerfile line ${s.line}: invalid --chmod ${s.flags.chmod}: only octal modes are supported`);
      chmod = parseInt(s.flags.chmod, 8);
    }
    if (what.from) {
      mount = await mountImage(b.store, what.from, stage);
      what.root = { ...what.root, root: mount.dir };
    }
    const sources = resolveSources(what.root, what.sources);
    const destSt = statIn(b.store, state, what.dest.replace(/\/+$/, '') || '/');
    const destIsDir =
      what.dest.endsWith('/') || sources.length > 1 || (sources.length === 1 && sources[0]!.st.isDirectory()) || !!destSt?.isDir || sources.length === 0;
    if (sources.length > 1 && !what.dest.endsWith('/'))
      throw invalid(`Dockerfile line ${s.line}: When using ${s.keyword} with more than one source file, the destination must be a directory and end with a /`);
    const tarFile = stage.file('layer.tar');
    const dest = what.dest.length > 1 ? what.dest.replace(/\/+$/, '') : '/';
    const contentHash = await packSources(
      {
        sources,
        srcRoot: what.root,
        dest,
        destIsDir,
        owner,
        ...(chmod !== undefined ? { chmod } : {}),
        extractArchives: !!what.extract,
        parentStat: (p) => statIn(b.store, state, p),
      },
      tarFile,
    );
    if (mount) {
      await mount.release();
      mount = undefined;
    }
    const key = stepKey(state.key, createdBy, `${contentHash}\n${what.fromKey ?? ''}`);
    if (b.fromCache(state, key, createdBy)) {
      stage.dispose();
      return;
    }
    const diffDir = stage.file('diff');
    mkdirSync(diffDir);
    const { diffId, size } = await unpackLayer(tarFile, diffDir);
    const created = new Date().toISOString();
    const staged: StagedLayer = {
      diffId,
      blobDigest: diffId,
      blobSize: statSync(tarFile).size,
      mediaType: layerMediaType('none'),
      size,
      blobFile: tarFile,
      diffDir,
    };
    state.layers.push({ diffId, blobDigest: staged.blobDigest, blobSize: staged.blobSize, mediaType: staged.mediaType, size });
    state.history.push({ created, created_by: createdBy, comment: COMMENT });
    state.key = key;
    // the layer enters the store with an image of the state so far (the store keeps no loose layers)
    const id = await b.materialize(state, [staged], stage);
    b.remember(key, { created, diffId });
    b.say(` ---> ${id.slice(7, 19)}`);
  } finally {
    if (mount) await mount.release();
    stage.dispose();
  }
}
