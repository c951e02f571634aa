/**
 * `build`: a Dockerfile's stages run step by step. Metadata steps change the config; COPY/ADD
 * make a layer from a tar of their sources; RUN runs in a real berth container (create, start
 * attached, commit, remove) on an image of the state so far. Each step's result is cached under
 * a key chained from the previous one, so an unchanged rebuild only re-hashes COPY sources and
 * re-derives the same image id. History entries are written as BuildKit writes them. Images made
 * on the way (to run a RUN on) are removed at the end, also when the build fails.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { BuildOptions, OciImageConfigBody } from '../api.js';
import { invalid, isEngineError, notFound } from '../errors.js';
import { applyChanges } from '../image/changes.js';
import { sha256 } from '../image/digest.js';
import { unpackLayer } from '../image/layer-unpack.js';
import { newManifest, layerMediaType } from '../image/make-image.js';
import { ociArch, type HistoryEntry, type ImageConfig } from '../image/oci.js';
import { canonical, familiar, parseReference } from '../image/reference.js';
import { Staging } from '../image/staging.js';
import type { ImageStore, StagedLayer } from '../image/store.js';
import type { EmbeddedEngine } from '../embedded.js';
import { BuildCache, stepKey } from './cache.js';
import { DockerIgnore } from './dockerignore.js';
import { expand, parseDockerfile, type Step } from './dockerfile.js';
import { packSources, resolveSources, type SourceRoot } from './sources.js';

const run = promisify(execFile);

export type { BuildOptions };

interface Layer {
  diffId: string;
  blobDigest: string;
  blobSize: number;
  mediaType: string;
  size: number;
}

interface State {
  name?: string;
  base?: ImageConfig;
  layers: Layer[];
  config: OciImageConfigBody;
  history: HistoryEntry[];
  key: string;
  args: Map<string, string | undefined>;
  cmdSet: boolean;
}

const DEFAULT_SHELL = ['/bin/sh', '-c'];
const COMMENT = 'buildkit.dockerfile.v0';

function duration(s: string, what: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  while ((m = re.exec(s))) {
    total += Number(m[1]) * unit[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== s.length || s === '') throw invalid(`invalid duration for ${what}: ${s}`);
  return Math.round(total);
}

export class Builder {
  private readonly store: ImageStore;
  private readonly cache: BuildCache;
  private readonly made = new Set<string>();
  private readonly stages: State[] = [];
  private readonly out: Writable;
  private readonly context: string;
  private readonly ignore: DockerIgnore;

  constructor(
    private readonly engine: EmbeddedEngine,
    private readonly opts: BuildOptions,
  ) {
    this.store = engine.store;
    this.cache = new BuildCache(join(engine.paths.root, 'build-cache'));
    this.out = opts.out;
    this.context = resolve(opts.context);
    const df = resolve(opts.dockerfile ?? join(this.context, 'Dockerfile'));
    this.ignore = existsSync(`${df}.dockerignore`) ? DockerIgnore.read(`${df}.dockerignore`) : DockerIgnore.read(join(this.context, '.dockerignore'));
  }

  private say(s: string): void {
    this.out.write(`${s}\n`);
  }

  async build(): Promise<string> {
    let st;
    try {
      st = statSync(this.context);
    } catch {
      throw invalid(`unable to prepare context: path "${this.opts.context}" not found`);
    }
    if (!st.isDirectory()) throw invalid(`unable to prepare context: context must be a directory: ${this.opts.context}`);
    const dfPath = resolve(this.opts.dockerfile ?? join(this.context, 'Dockerfile'));
    let text: string;
    try {
      text = readFileSync(dfPath, 'utf8');
    } catch {
      throw invalid(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dfPath}: no such file or directory`);
    }
    const steps = parseDockerfile(text);
    const tags = (this.opts.tags ?? []).map((t) => {
      const r = parseReference(t);
      if (r.digest) throw invalid(`invalid tag ${JSON.stringify(t)}: a digest cannot be a tag`);
      return canonical(r);
    });
    // --target: stop after that stage
    let last = steps.length;
    if (this.opts.target) {
      const idx = steps.findIndex((s) => s.keyword === 'FROM' && s.words.length === 3 && s.words[2]!.toLowerCase() === this.opts.target!.toLowerCase());
      if (idx < 0) throw invalid(`failed to reach build target ${this.opts.target} in Dockerfile`);
      const next = steps.findIndex((s, i) => i > idx && s.keyword === 'FROM');
      last = next < 0 ? steps.length : next;
    }
    const todo = steps.slice(0, last);
    const globalArgs = new Map<string, string | undefined>();
    let state: State | undefined;
    const used = new Set<string>();
    try {
      for (let i = 0; i < todo.length; i++) {
        const s = todo[i]!;
        this.say(`Step ${i + 1}/${todo.length} : ${s.original}`);
        if (s.keyword === 'FROM') {
          if (state) this.stages.push(state);
          state = await this.from(s, globalArgs);
          continue;
        }
        if (!state) {
          // ARG before the first FROM
          for (const [k, v] of s.props) {
            globalArgs.set(k, this.opts.buildArgs?.[k] ?? (v === undefined ? undefined : expand(v, (n) => globalArgs.get(n), s.line)));
            used.add(k);
          }
          continue;
        }
        if (s.keyword === 'ARG') for (const [k] of s.props) used.add(k);
        await this.step(state, s);
      }
      if (!state) throw invalid('Dockerfile contains no FROM instruction');
      if (this.opts.labels && Object.keys(this.opts.labels).length) {
        state.config = { ...state.config, Labels: { ...(state.config.Labels ?? {}), ...this.opts.labels } };
      }
      const id = await this.materialize(state);
      this.made.delete(id);
      if (tags.length) this.store.db.tx(() => tags.forEach((t) => this.store.setTag(t, id)));
      const unused = Object.keys(this.opts.buildArgs ?? {}).filter((k) => !used.has(k));
      if (unused.length) this.say(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed`);
      this.say(`Successfully built ${id.slice(7, 19)}`);
      for (const t of tags) this.say(`Successfully tagged ${familiar(t)}`);
      return id;
    } finally {
      this.cleanup();
    }
  }

  /** Removes the images made only to run steps on (their layers stay for the final image and the cache). */
  private cleanup(): void {
    for (const id of this.made) {
      try {
        this.store.db.tx(() => {
          if (this.store.tagsOf(id).length === 0 && this.store.imageUsers(id) === 0) this.store.deleteImage(id);
        });
      } catch {
        /* in use: leave it */
      }
    }
  }

  private vars(state: State): (n: string) => string | undefined {
    return (n) => {
      const env = (state.config.Env ?? []).find((e) => e.startsWith(`${n}=`));
      if (env) return env.slice(n.length + 1);
      return state.args.get(n);
    };
  }

  private layerOf(diffId: string): Layer {
    const l = this.store.layer(diffId);
    if (!l) throw notFound(`layer ${diffId} is missing from the store`);
    return { diffId, blobDigest: l.blob_digest, blobSize: l.blob_size, mediaType: l.media_type, size: l.size };
  }

  private async imageState(ref: string, line: number): Promise<{ id: string; state: State }> {
    let row;
    try {
      row = this.opts.pull ? undefined : this.store.tryResolve(ref);
    } catch (e) {
      throw invalid(`Dockerfile line ${line}: ${(e as Error).message}`);
    }
    if (!row) {
      const pulled = await this.engine.images.pull(ref, { progress: (e) => (e.id === '' ? this.say(e.status) : e.current === undefined && this.say(`${e.id}: ${e.status}`)) });
      row = this.store.image(pulled)!;
    }
    const base = this.store.config(row.id);
    return {
      id: row.id,
      state: {
        base,
        layers: this.store.layersOf(row.id).map((d) => this.layerOf(d)),
        config: structuredClone(base.config ?? {}),
        history: structuredClone(base.history ?? []),
        key: row.id,
        args: new Map(),
        cmdSet: false,
      },
    };
  }

  private async from(s: Step, globalArgs: Map<string, string | undefined>): Promise<State> {
    const name = expand(s.words[0]!, (n) => globalArgs.get(n), s.line);
    const stageName = s.words.length === 3 ? s.words[2]!.toLowerCase() : undefined;
    let state: State;
    const prior = this.stages.find((st) => st.name === name.toLowerCase());
    if (prior) {
      state = { ...structuredClone({ ...prior, args: undefined }), args: new Map(), cmdSet: false } as unknown as State;
      this.say(` ---> ${(await this.materialize(prior)).slice(7, 19)}`);
    } else if (name === 'scratch') {
      state = { layers: [], config: {}, history: [], key: 'scratch', args: new Map(), cmdSet: false };
      this.say(' ---> scratch');
    } else {
      const r = await this.imageState(name, s.line);
      state = r.state;
      this.say(` ---> ${r.id.slice(7, 19)}`);
    }
    if (stageName) state.name = stageName;
    // global ARGs stay visible to a stage only when re-declared; remember their values for that
    (state as State & { globals?: Map<string, string | undefined> }).globals = globalArgs;
    return state;
  }

  private meta(state: State, createdBy: string, apply: () => void): void {
    const key = stepKey(state.key, createdBy, JSON.stringify(state.config));
    const hit = this.opts.noCache ? undefined : this.cache.get(key);
    apply();
    const created = hit?.created ?? new Date().toISOString();
    if (hit) this.say(' ---> Using cache');
    else this.cache.put(key, { created });
    state.history.push({ created, created_by: createdBy, comment: COMMENT, empty_layer: true });
    state.key = key;
  }

  private async step(state: State, s: Step): Promise<void> {
    const x = (t: string) => expand(t, this.vars(state), s.line);
    const shell = state.config.Shell?.length ? state.config.Shell : DEFAULT_SHELL;
    const cmdForm = () => s.json ?? [...shell, s.text];
    switch (s.keyword) {
      case 'ARG': {
        const globals = (state as State & { globals?: Map<string, string | undefined> }).globals;
        for (const [k, v] of s.props) {
          const val = this.opts.buildArgs?.[k] ?? (v !== undefined ? x(v) : globals?.get(k));
          state.args.set(k, val);
        }
        this.say(' ---> (ARG)');
        return;
      }
      case 'ENV':
        return this.meta(state, `ENV ${s.text}`, () => {
          const pairs = s.props.map(([k, v]) => [k, x(v ?? '')] as const);
          let env = [...(state.config.Env ?? [])];
          for (const [k, v] of pairs) env = [...env.filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
          state.config = { ...state.config, Env: env };
        });
      case 'LABEL':
        return this.meta(state, `LABEL ${s.text}`, () => {
          const labels = { ...(state.config.Labels ?? {}) };
          for (const [k, v] of s.props) labels[x(k)] = x(v ?? '');
          state.config = { ...state.config, Labels: labels };
        });
      case 'MAINTAINER':
        return this.meta(state, `MAINTAINER ${s.text}`, () => {
          (state as State & { author?: string }).author = s.text;
        });
      case 'CMD':
        return this.meta(state, `CMD ${s.json ? JSON.stringify(s.json) : JSON.stringify(cmdForm())}`, () => {
          state.config = { ...state.config, Cmd: cmdForm() };
          state.cmdSet = true;
        });
      case 'ENTRYPOINT':
        return this.meta(state, `ENTRYPOINT ${JSON.stringify(cmdForm())}`, () => {
          state.config = { ...state.config, Entrypoint: cmdForm(), ...(state.cmdSet ? {} : { Cmd: null }) };
        });
      case 'SHELL':
        return this.meta(state, `SHELL ${JSON.stringify(s.json)}`, () => {
          state.config = { ...state.config, Shell: s.json! };
        });
      case 'EXPOSE':
      case 'USER':
      case 'VOLUME':
      case 'STOPSIGNAL':
      case 'ONBUILD': {
        const arg = s.keyword === 'ONBUILD' ? s.text : x(s.text);
        return this.meta(state, `${s.keyword} ${arg}`, () => {
          try {
            state.config = applyChanges(state.config, [`${s.keyword} ${arg}`]);
          } catch (e) {
            throw invalid(`Dockerfile line ${s.line}: ${(e as Error).message}`);
          }
        });
      }
      case 'HEALTHCHECK': {
        const kind = s.words[0]!.toUpperCase();
        let hc: OciImageConfigBody['Healthcheck'];
        if (kind === 'NONE') hc = { Test: ['NONE'] };
        else if (kind === 'CMD') {
          const rest = s.text.replace(/^\s*CMD\s*/i, '');
          const json = (await import('./dockerfile.js')).parseJsonArray(rest);
          hc = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', rest] };
          const f = s.flags;
          if (f.interval) hc.Interval = duration(f.interval, 'interval');
          if (f.timeout) hc.Timeout = duration(f.timeout, 'timeout');
          if (f['start-period']) hc.StartPeriod = duration(f['start-period'], 'start-period');
          if (f.retries) hc.Retries = Number(f.retries);
        } else throw invalid(`Dockerfile parse error on line ${s.line}: Unknown type "${s.words[0]}" in HEALTHCHECK (try CMD)`);
        return this.meta(state, `HEALTHCHECK &{${JSON.stringify(hc)}}`, () => {
          state.config = { ...state.config, Healthcheck: hc };
        });
      }
      case 'WORKDIR': {
        const dir = posix.resolve(state.config.WorkingDir || '/', x(s.text));
        state.config = { ...state.config, WorkingDir: dir };
        if (this.statIn(state, dir)?.isDir) return this.meta(state, `WORKDIR ${dir}`, () => undefined);
        // BuildKit creates the directory as a layer of its own
        return this.layerStep(state, s, `WORKDIR ${dir}`, { dest: `${dir}/`, sources: [], root: { root: this.context, what: 'build context' } });
      }
      case 'COPY':
      case 'ADD':
        return this.copy(state, s, x);
      case 'RUN':
        return this.runStep(state, s, cmdForm());
      default:
        throw invalid(`Dockerfile parse error on line ${s.line}: ${s.keyword} is not supported`);
    }
  }

  /** A path's metadata in the state's filesystem, read from its layers top down. */
  private statIn(state: State, abs: string): { isDir: boolean; mode: number; uid: number; gid: number; mtime: Date } | undefined {
    const parts = abs.split('/').filter(Boolean);
    for (let i = state.layers.length - 1; i >= 0; i--) {
      const root = this.store.diffDir(state.layers[i]!.diffId);
      let cur = root;
      let ok = true;
      for (let j = 0; j < parts.length; j++) {
        cur = join(cur, parts[j]!);
        let st;
        try {
          st = lstatSync(cur);
        } catch {
          ok = false;
          break;
        }
        if (st.isCharacterDevice() && st.rdev === 0) return undefined; // whiteout
        if (j === parts.length - 1) return { isDir: st.isDirectory(), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
        if (!st.isDirectory()) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (parts.length === 0) return { isDir: true, mode: 0o755, uid: 0, gid: 0, mtime: new Date(0) };
    }
    return undefined;
  }

  private fileIn(state: State, abs: string): string | undefined {
    for (let i = state.layers.length - 1; i >= 0; i--) {
      const p = join(this.store.diffDir(state.layers[i]!.diffId), abs);
      try {
        const st = lstatSync(p);
        if (st.isFile()) return readFileSync(p, 'utf8');
        return undefined;
      } catch {
        /* next layer */
      }
    }
    return undefined;
  }

  private owner(state: State, chown: string | undefined, line: number): { uid: number; gid: number } {
    if (!chown) return { uid: 0, gid: 0 };
    const [u, g] = chown.split(':');
    const lookup = (name: string, file: string): number => {
      if (/^\d+$/.test(name)) return Number(name);
      const row = (this.fileIn(state, file) ?? '').split('\n').find((l) => l.split(':')[0] === name);
      if (!row) throw invalid(`Dockerfile line ${line}: unable to convert uid/gid chown string to host mapping: can't find ${file === '/etc/passwd' ? 'uid' : 'gid'} for ${file === '/etc/passwd' ? 'user' : 'group'} ${name}`);
      return Number(row.split(':')[2]);
    };
    const uid = lookup(u!, '/etc/passwd');
    let gid = uid;
    if (g) gid = lookup(g, '/etc/group');
    else if (!/^\d+$/.test(u!)) gid = Number(((this.fileIn(state, '/etc/passwd') ?? '').split('\n').find((l) => l.split(':')[0] === u) ?? '').split(':')[3] ?? uid);
    return { uid, gid };
  }

  private async mountImage(layers: Layer[], stage: Staging): Promise<{ dir: string; release: () => Promise<void> }> {
    const dir = stage.file('from-mnt');
    const empty = stage.file('from-empty');
    mkdirSync(dir);
    mkdirSync(empty);
    const lowers = layers.map((l) => this.store.diffDir(l.diffId)).reverse();
    if (lowers.length < 2) lowers.push(empty);
    try {
      await run('mount', ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${lowers.join(':')}`, dir]);
    } catch (e) {
      throw invalid(`cannot mount the source image: ${(e as { stderr?: string }).stderr?.trim() ?? (e as Error).message}`);
    }
    return { dir, release: () => run('umount', [dir]).then(() => undefined, () => undefined) };
  }

  private async copy(state: State, s: Step, x: (t: string) => string): Promise<void> {
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
    let root: SourceRoot = { root: this.context, ignore: this.ignore, what: 'build context' };
    let from: Layer[] | undefined;
    let fromKey = '';
    const fromName = s.flags.from;
    if (fromName !== undefined) {
      const n = x(fromName).toLowerCase();
      const byName = this.stages.find((st) => st.name === n) ?? (/^\d+$/.test(n) ? this.stages[Number(n)] : undefined);
      if (byName) {
        from = byName.layers;
        fromKey = byName.key;
        root = { root: '', what: `stage ${n}` };
      } else {
        const r = await this.imageState(x(fromName), s.line);
        from = r.state.layers;
        fromKey = r.id;
        root = { root: '', what: `image ${fromName}` };
      }
    }
    const createdBy = `${s.keyword} ${fromName !== undefined ? `--from=${fromName} ` : ''}${s.flags.chown ? `--chown=${s.flags.chown} ` : ''}${s.flags.chmod ? `--chmod=${s.flags.chmod} ` : ''}${srcs.join(' ')} ${dest0} # buildkit`;
    await this.layerStep(state, s, createdBy, { dest, sources: srcs, root, from, fromKey, extract: s.keyword === 'ADD' });
  }

  private async layerStep(
    state: State,
    s: Step,
    createdBy: string,
    what: { dest: string; sources: string[]; root: SourceRoot; from?: Layer[]; fromKey?: string; extract?: boolean },
  ): Promise<void> {
    const stage = new Staging(this.store.paths.tmp);
    let mount: { dir: string; release: () => Promise<void> } | undefined;
    try {
      const owner = this.owner(state, s.flags.chown, s.line);
      let chmod: number | undefined;
      if (s.flags.chmod) {
        if (!/^[0-7]{3,4}$/.test(s.flags.chmod)) throw invalid(`Dockerfile line ${s.line}: invalid --chmod ${s.flags.chmod}: only octal modes are supported`);
        chmod = parseInt(s.flags.chmod, 8);
      }
      if (what.from) {
        mount = await this.mountImage(what.from, stage);
        what.root = { ...what.root, root: mount.dir };
      }
      const sources = resolveSources(what.root, what.sources);
      const destSt = this.statIn(state, what.dest.replace(/\/+$/, '') || '/');
      const destIsDir = what.dest.endsWith('/') || sources.length > 1 || (sources.length === 1 && sources[0]!.st.isDirectory()) || !!destSt?.isDir || sources.length === 0;
      if (sources.length > 1 && !what.dest.endsWith('/')) throw invalid(`Dockerfile line ${s.line}: When using ${s.keyword} with more than one source file, the destination must be a directory and end with a /`);
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
          parentStat: (p) => this.statIn(state, p),
        },
        tarFile,
      );
      if (mount) {
        await mount.release();
        mount = undefined;
      }
      const key = stepKey(state.key, createdBy, `${contentHash}\n${what.fromKey ?? ''}`);
      if (this.fromCache(state, key, createdBy)) {
        stage.dispose();
        return;
      }
      const diffDir = stage.file('diff');
      mkdirSync(diffDir);
      const { diffId, size } = await unpackLayer(tarFile, diffDir);
      const created = new Date().toISOString();
      const staged: StagedLayer = { diffId, blobDigest: diffId, blobSize: statSync(tarFile).size, mediaType: layerMediaType('none'), size, blobFile: tarFile, diffDir };
      state.layers.push({ diffId, blobDigest: staged.blobDigest, blobSize: staged.blobSize, mediaType: staged.mediaType, size });
      state.history.push({ created, created_by: createdBy, comment: COMMENT });
      state.key = key;
      // the layer enters the store with an image of the state so far (the store keeps no loose layers)
      const id = await this.materialize(state, [staged], stage);
      this.cache.put(key, { created, diffId });
      this.say(` ---> ${id.slice(7, 19)}`);
    } finally {
      if (mount) await mount.release();
      stage.dispose();
    }
  }

  /** A step whose layer the cache has (and the store still holds): reuse it, as docker does. */
  private fromCache(state: State, key: string, createdBy: string): boolean {
    const hit = this.opts.noCache ? undefined : this.cache.get(key);
    if (!hit?.diffId || !this.store.layer(hit.diffId) || !existsSync(this.store.diffDir(hit.diffId))) return false;
    this.say(' ---> Using cache');
    state.layers.push(this.layerOf(hit.diffId));
    state.history.push({ created: hit.created, created_by: createdBy, comment: COMMENT });
    state.key = key;
    return true;
  }

  private async runStep(state: State, s: Step, cmd: string[]): Promise<void> {
    if (s.flags.mount !== undefined || s.flags.network !== undefined) throw invalid(`Dockerfile line ${s.line}: RUN --mount/--network are not supported`);
    // build args visible to RUN (as docker: in the env, and in the history line when used)
    const env = [...(state.config.Env ?? [])];
    const argPairs: string[] = [];
    for (const [k, v] of state.args) {
      if (v === undefined) continue;
      argPairs.push(`${k}=${v}`);
      if (!env.some((e) => e.startsWith(`${k}=`))) env.push(`${k}=${v}`);
    }
    const createdBy = `RUN ${argPairs.length ? `|${argPairs.length} ${argPairs.join(' ')} ` : ''}${cmd.join(' ')} # buildkit`;
    const key = stepKey(state.key, createdBy);
    if (this.fromCache(state, key, createdBy)) return;
    const image = await this.materialize(state);
    const containers = this.engine.containers;
    const { id: cid } = await containers.create({
      image,
      cmd,
      entrypoint: [],
      env,
      workdir: state.config.WorkingDir || '/',
      ...(state.config.User ? { user: state.config.User } : {}),
      network: this.opts.network ?? 'bridge',
      labels: { 'berth.build': '1' },
    });
    this.say(` ---> Running in ${cid.slice(0, 12)}`);
    let committed: string | undefined;
    try {
      // the container's output goes to ours, which it must not end
      const sink = new Writable({ write: (c, _e, cb) => (this.out.write(c), cb()) });
      const code = await containers.startAttached(cid, { stdout: sink, stderr: sink }, { stdin: false });
      if (code !== 0) throw invalid(`The command '${cmd.join(' ')}' returned a non-zero code: ${code}`);
      committed = await containers.commit(cid, { pause: false });
    } finally {
      await containers.remove(cid, { force: true }).catch(() => undefined);
      this.say(` ---> Removed intermediate container ${cid.slice(0, 12)}`);
    }
    this.made.add(committed);
    const diffId = this.store.layersOf(committed).at(-1)!;
    const created = new Date().toISOString();
    state.layers.push(this.layerOf(diffId));
    state.history.push({ created, created_by: createdBy, comment: COMMENT });
    state.key = key;
    const id = await this.materialize(state);
    this.cache.put(key, { created, diffId });
    this.say(` ---> ${id.slice(7, 19)}`);
  }

  /** The state as an image in the store (made once; its id is the config's digest). */
  private async materialize(state: State, staged: StagedLayer[] = [], stage?: Staging): Promise<string> {
    const created = state.history.at(-1)?.created ?? state.base?.created ?? new Date(0).toISOString();
    const cfg: ImageConfig = {
      architecture: state.base?.architecture ?? ociArch(),
      os: state.base?.os ?? 'linux',
      ...(state.base?.variant ? { variant: state.base.variant } : {}),
      created,
      ...((state as State & { author?: string }).author ? { author: (state as State & { author?: string }).author! } : {}),
      config: state.config,
      rootfs: { type: 'layers', diff_ids: state.layers.map((l) => l.diffId) },
      history: state.history,
    };
    const bytes = Buffer.from(JSON.stringify(cfg));
    const id = sha256(bytes);
    if (this.store.image(id)) return id;
    const own = !stage;
    const st = stage ?? new Staging(this.store.paths.tmp);
    try {
      const cfgBlob = st.writeBlob(bytes);
      const layers: StagedLayer[] = state.layers.map((l) => staged.find((x) => x.diffId === l.diffId) ?? { ...l });
      const man = newManifest(cfgBlob.digest, cfgBlob.size, layers);
      const manBlob = st.writeBlob(Buffer.from(JSON.stringify(man)));
      this.store.commitInto({ config: cfgBlob, manifest: { ...manBlob, mediaType: man.mediaType! }, created, layers, tags: [] });
      this.made.add(id);
      return id;
    } finally {
      if (own) st.dispose();
    }
  }
}

export function build(engine: EmbeddedEngine, opts: BuildOptions): Promise<string> {
  return new Builder(engine, opts).build();
}
