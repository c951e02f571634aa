/**
 * RUN: create a container (build args in its environment), start it attached with its output in
 * the build's, commit it, remove it; the committed layer joins the state.
 */
import { Writable } from 'node:stream';
import { EngineError, invalid } from '../errors.js';
import { stepKey } from './cache.js';
import type { Step } from './dockerfile.js';
import { COMMENT, type State, type StepHost } from './build-state.js';

/** A RUN whose command failed: its exit code goes in the API's errorDetail and is the CLI's status. */
export class RunFailed extends EngineError {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super('invalid', message);
  }
}

/** dockerd's classic builder wraps each stderr write of a RUN in red; docker's CLI prints it verbatim. */
const RED = Buffer.from('\x1b[91m');
const RESET = Buffer.from('\x1b[0m');

/** RUN: the command in a real berth container on an image of the state so far, committed as a layer. */
export async function runStep(b: StepHost, state: State, s: Step, cmd: string[]): Promise<void> {
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
  if (b.fromCache(state, key, createdBy)) return;
  const image = await b.materialize(state);
  const containers = b.engine.containers;
  const { id: cid } = await containers.create({
    image,
    cmd,
    entrypoint: [],
    env,
    workdir: state.config.WorkingDir || '/',
    ...(state.config.User ? { user: state.config.User } : {}),
    network: b.opts.network ?? 'bridge',
    ...b.opts.runContainer,
    labels: { 'berth.build': '1' },
  });
  b.say(` ---> Running in ${cid.slice(0, 12)}`);
  let committed: string | undefined;
  try {
    // the container's output goes to ours, which it must not end
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => (b.out.write(c), cb()) });
    const stderr = new Writable({ write: (c: Buffer, _e, cb) => (b.out.write(Buffer.concat([RED, c, RESET])), cb()) });
    const code = await containers.startAttached(cid, { stdout, stderr }, { stdin: false });
    if (code !== 0) throw new RunFailed(`The command '${cmd.join(' ')}' returned a non-zero code: ${code}`, typeof code === 'number' ? code : 1);
    committed = await containers.commit(cid, { pause: false });
  } finally {
    await containers.remove(cid, { force: true }).catch(() => undefined);
    // dockerd's words, said for a step that succeeded (a failed one's container is not announced)
    if (committed) b.say(`Removing intermediate container ${cid.slice(0, 12)}`);
  }
  b.made.add(committed);
  const diffId = b.store.layersOf(committed).at(-1)!;
  const created = new Date().toISOString();
  state.layers.push(b.layerOf(diffId));
  state.history.push({ created, created_by: createdBy, comment: COMMENT });
  state.key = key;
  const id = await b.materialize(state);
  b.remember(key, { created, diffId });
  b.say(` ---> ${id.slice(7, 19)}`);
}
