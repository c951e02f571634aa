/**
 * `build`: a Dockerfile's stages run step by step. Metadata steps change the config; COPY/ADD
 * make a layer from a tar of their sources; RUN runs in a real berth container (create, start
 * attached, commit, remove) on an image of the state so far. Each step's result is cached under
 * a key chained from the previous one, so an unchanged rebuild only re-hashes COPY sources and
 * re-derives the same image id. History entries are written as BuildKit writes them. Images made
 * on the way (to run a RUN on) are removed at the end, also when the build fails.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { BuildOptions } from '../api.js';
import { invalid, notFound } from '../errors.js';
import { sha256 } from '../image/digest.js';
import { newManifest } from '../image/make-image.js';
import { ociArch, type ImageConfig } from '../image/oci.js';
import { canonical, familiar, parseReference } from '../image/reference.js';
import { Staging } from '../image/staging.js';
import type { ImageStore, StagedLayer } from '../image/store.js';
import type { EmbeddedEngine } from '../embedded.js';
import { BuildCache, stepKey, type CacheEntry } from './cache.js';
import { CacheSources } from './cache-from.js';
import { DockerIgnore } from './dockerignore.js';
import { expand, parseDockerfile, type Step } from './dockerfile.js';
import { COMMENT, type Layer, type State, type StepHost } from './build-state.js';
import { step } from './steps.js';
import { parseExtraHost } from '../../net/hosts.js';

export type { BuildOptions };

export class Builder implements StepHost {
  readonly store: ImageStore;
  readonly cache: BuildCache;
  readonly made = new Set<string>();
  readonly stages: State[] = [];
  readonly out: Writable;
  readonly context: string;
  readonly ignore: DockerIgnore;
  /** --cache-from: the images whose chains alone give hits; undefined: the whole cache. */
  readonly sources: CacheSources | undefined;

  constructor(
    readonly engine: EmbeddedEngine,
    readonly opts: BuildOptions,
  ) {
    this.store = engine.store;
    this.cache = new BuildCache(engine.paths.buildCache);
    this.out = opts.out;
    this.sources = CacheSources.of(this.store, opts.cacheFrom);
    this.context = resolve(opts.context);
    const df = resolve(opts.dockerfile ?? join(this.context, 'Dockerfile'));
    this.ignore = existsSync(`${df}.dockerignore`) ? DockerIgnore.read(`${df}.dockerignore`) : DockerIgnore.read(join(this.context, '.dockerignore'));
  }

  say(s: string): void {
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
    // a bad --add-host fails the build before its first step, not at its first RUN
    for (const h of this.opts.runContainer?.extraHosts ?? []) if (!h.endsWith(':host-gateway') && !h.endsWith('=host-gateway')) parseExtraHost(h);
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
        await step(this, state, s);
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
      // dockerd sends the id (aux) before its last lines, which docker-py reads as the build's end
      this.opts.onImage?.(id);
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

  layerOf(diffId: string): Layer {
    const l = this.store.layer(diffId);
    if (!l) throw notFound(`layer ${diffId} is missing from the store`);
    return { diffId, blobDigest: l.blob_digest, blobSize: l.blob_size, mediaType: l.media_type, size: l.size };
  }

  async imageState(ref: string, line: number): Promise<{ id: string; state: State }> {
    let row;
    try {
      row = this.opts.pull ? undefined : this.store.tryResolve(ref);
    } catch (e) {
      throw invalid(`Dockerfile line ${line}: ${(e as Error).message}`);
    }
    if (!row) {
      const pulled = await this.engine.images.pull(ref, {
        progress: (e) => (e.id === '' ? this.say(e.status) : e.current === undefined && this.say(`${e.id}: ${e.status}`)),
      });
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

  meta(state: State, createdBy: string, apply: () => void): void {
    const key = stepKey(state.key, createdBy, JSON.stringify(state.config));
    const cached = this.opts.noCache ? undefined : this.cache.get(key);
    apply();
    const entry = (created: string) => ({ created, created_by: createdBy, comment: COMMENT, empty_layer: true });
    const hit = cached && (!this.sources || this.sources.allows(state.layers, [...state.history, entry(cached.created)])) ? cached : undefined;
    const created = hit?.created ?? new Date().toISOString();
    if (hit) this.say(' ---> Using cache');
    else this.remember(key, { created });
    state.history.push(entry(created));
    state.key = key;
  }

  fromCache(state: State, key: string, createdBy: string): boolean {
    const hit = this.opts.noCache ? undefined : this.cache.get(key);
    if (!hit?.diffId || !this.store.layer(hit.diffId) || !existsSync(this.store.diffDir(hit.diffId))) return false;
    const layer = this.layerOf(hit.diffId);
    const entry = { created: hit.created, created_by: createdBy, comment: COMMENT };
    if (this.sources && !this.sources.allows([...state.layers, layer], [...state.history, entry])) return false;
    this.say(' ---> Using cache');
    state.layers.push(layer);
    state.history.push(entry);
    state.key = key;
    return true;
  }

  /** Records a step's result; an entry only --cache-from passed over is kept, as other images' chains hold it. */
  remember(key: string, e: CacheEntry): void {
    const old = this.sources ? this.cache.get(key) : undefined;
    if (old && (old.diffId === undefined || this.store.layer(old.diffId))) return;
    this.cache.put(key, e);
  }

  /** The state as an image in the store (made once; its id is the config's digest). */
  async materialize(state: State, staged: StagedLayer[] = [], stage?: Staging): Promise<string> {
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
