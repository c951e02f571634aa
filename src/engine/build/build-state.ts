/**
 * What the builder's instruction modules share: a stage's state as it is built, and the
 * builder's members a step uses (StepHost: the store, the cache, the output, making an image of
 * the state so far).
 */
import type { Writable } from 'node:stream';
import type { BuildOptions, OciImageConfigBody } from '../api.js';
import { invalid } from '../errors.js';
import type { HistoryEntry, ImageConfig } from '../image/oci.js';
import type { Staging } from '../image/staging.js';
import type { ImageStore, StagedLayer } from '../image/store.js';
import type { EmbeddedEngine } from '../embedded.js';
import type { BuildCache, CacheEntry } from './cache.js';
import type { DockerIgnore } from './dockerignore.js';

export interface Layer {
  diffId: string;
  blobDigest: string;
  blobSize: number;
  mediaType: string;
  size: number;
}

export interface State {
  name?: string;
  base?: ImageConfig;
  layers: Layer[];
  config: OciImageConfigBody;
  history: HistoryEntry[];
  key: string;
  args: Map<string, string | undefined>;
  cmdSet: boolean;
}

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const COMMENT = 'buildkit.dockerfile.v0';

/** A Dockerfile duration (HEALTHCHECK --interval=30s), in nanoseconds. */
export function duration(s: string, what: string): number {
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

/** The builder as its steps see it. */
export interface StepHost {
  readonly engine: EmbeddedEngine;
  readonly opts: BuildOptions;
  readonly store: ImageStore;
  readonly cache: BuildCache;
  readonly context: string;
  readonly ignore: DockerIgnore;
  /** The finished stages, in order (COPY --from names or numbers them). */
  readonly stages: State[];
  /** Images made only to run steps on, removed at the end. */
  readonly made: Set<string>;
  readonly out: Writable;
  say(s: string): void;
  /** A metadata step: the config change, cached, with its empty-layer history entry. */
  meta(state: State, createdBy: string, apply: () => void): void;
  /** A base image's state (pulled if missing or with --pull). */
  imageState(ref: string, line: number): Promise<{ id: string; state: State }>;
  layerOf(diffId: string): Layer;
  /** A step whose layer the cache has (and the store still holds): reuse it, as docker does. */
  fromCache(state: State, key: string, createdBy: string): boolean;
  /** Records a step's result in the cache. */
  remember(key: string, e: CacheEntry): void;
  /** The state as an image in the store (made once; its id is the config's digest). */
  materialize(state: State, staged?: StagedLayer[], stage?: Staging): Promise<string>;
}
