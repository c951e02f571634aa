/**
 * `build` on a daemon, as docker's CLI does it with the classic builder: the context directory
 * packed into a tar (.dockerignore applied here, on the client; the Dockerfile and .dockerignore
 * always sent), POSTed to /build with the options as query parameters, and the daemon's JSON
 * stream followed: `stream` text goes to the build's output, an `error` fails the build (its
 * errorDetail code kept), `aux.ID` is the image id (told to onImage in the stream's order).
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { BuildOptions, BuildRunSettings } from '../api.js';
import { invalid, EngineError } from '../errors.js';
import { DockerIgnore } from '../build/dockerignore.js';
import { RunFailed } from '../build/run-step.js';
import { packTree } from '../fs/pack-tree.js';
import { TarWriter } from '../tar/writer.js';
import { type DockerClient, jsonLines } from './client.js';
import { optObj, str } from './wire.js';

/** The context as docker's CLI sends it, and the Dockerfile's name inside it. */
export function buildContext(opts: Pick<BuildOptions, 'context' | 'dockerfile'>): { tar: Readable; dockerfile: string } {
  const context = resolve(opts.context);
  let st;
  try {
    st = statSync(context);
  } catch {
    throw invalid(`unable to prepare context: path "${opts.context}" not found`);
  }
  if (!st.isDirectory()) throw invalid(`unable to prepare context: context must be a directory: ${opts.context}`);
  const dfPath = resolve(opts.dockerfile ?? join(context, 'Dockerfile'));
  let dfBytes: Buffer;
  try {
    dfBytes = readFileSync(dfPath);
  } catch {
    throw invalid(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dfPath}: no such file or directory`);
  }
  const rel = relative(context, dfPath);
  const inside = !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
  // docker's CLI: a Dockerfile outside the context travels in the tar under a random name
  const dockerfile = inside ? rel.split(sep).join('/') : `.dockerfile.${randomBytes(10).toString('hex')}`;
  const ignore = DockerIgnore.read(join(context, '.dockerignore'));
  const keep = new Set([dockerfile, '.dockerignore']);
  const w = new TarWriter();
  (async () => {
    await packTree(context, w, {
      as: '',
      owner: { uid: 0, gid: 0 },
      exclude: (p) => !keep.has(p) && ignore.ignored(p) && !(ignore.mayReincludeBelow(p) && lstatSync(join(context, p)).isDirectory()),
    });
    if (!inside)
      await w.entry({ name: dockerfile, type: 'file', mode: 0o600, uid: 0, gid: 0, mtime: Math.floor(Date.now() / 1000), size: dfBytes.length }, dfBytes);
    await w.finalize();
  })().catch((e: Error) => w.abort(e));
  return { tar: w.stream, dockerfile };
}

/** The RUN containers' settings as docker's CLI sends them (extrahosts repeated). */
function runQuery(r: BuildRunSettings | undefined): Record<string, string[] | number | string | undefined> {
  if (!r) return {};
  return {
    extrahosts: r.extraHosts?.length ? r.extraHosts : undefined,
    shmsize: r.shmSize,
    memory: r.memory,
    memswap: r.memorySwap,
    cpushares: r.cpuShares,
    cpusetcpus: r.cpusetCpus,
    cpuperiod: r.cpuPeriod,
    cpuquota: r.cpuQuota,
  };
}

export async function buildOnDaemon(c: DockerClient, opts: BuildOptions): Promise<string> {
  const { tar, dockerfile } = buildContext(opts);
  const res = await c.stream('POST', '/build', {
    file: tar,
    query: {
      t: opts.tags ?? [],
      dockerfile,
      buildargs: JSON.stringify(opts.buildArgs ?? {}),
      labels: JSON.stringify(opts.labels ?? {}),
      nocache: !!opts.noCache,
      target: opts.target,
      networkmode: opts.network,
      pull: !!opts.pull,
      rm: true,
      cachefrom: opts.cacheFrom?.length ? JSON.stringify(opts.cacheFrom) : undefined,
      ...runQuery(opts.runContainer),
    },
  });
  let id = '';
  try {
    for await (const line of jsonLines(res)) {
      const o = optObj(line);
      const err = str(o.error) || str(optObj(o.errorDetail).message);
      const code = optObj(o.errorDetail).code;
      if (err) throw typeof code === 'number' && Number.isInteger(code) && code > 0 ? new RunFailed(err, code) : new EngineError('runtime', err);
      if (o.stream) opts.out.write(str(o.stream));
      const aux = str(optObj(o.aux).ID);
      if (aux) {
        id = aux;
        opts.onImage?.(aux);
      }
    }
  } finally {
    tar.destroy();
    res.destroy();
  }
  if (!id) throw new EngineError('runtime', 'the daemon did not report the built image id');
  return id;
}
