/**
 * docker's exec: create records an instance (the engine runs a process in one call, so the
 * instance lives here until start), start runs it on the hijacked connection (or detached),
 * resize feeds its terminal, json reports Running/ExitCode/Pid.
 */
import { Writable } from 'node:stream';
import type { ExecOptions } from '../../engine/api.js';
import type { Route } from '../route.js';
import { intParam, readJson } from '../body.js';
import { ApiError, badRequest } from '../errors.js';
import { objOf } from '../container-config.js';
import { sendJson } from '../reply.js';
import { sessionsOf, type ExecInstance } from '../sessions.js';
import { closed, connIO } from '../streams.js';

function instance(engine: object, id: string): ExecInstance {
  const x = sessionsOf(engine).getExec(id);
  if (!x) throw new ApiError(404, `No such exec instance: ${id}`);
  return x;
}

const strs = (v: unknown, what: string): string[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field ExecConfig.${what} of type []string`);
};
const str = (v: unknown, what: string) => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field ExecConfig.${what} of type string`);
};

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/containers/{id}/exec',
    handle: async ({ engine, params, req, res }) => {
      const body = objOf(await readJson(req), 'body') ?? {};
      const cmd = strs(body.Cmd, 'Cmd') ?? [];
      if (cmd.length === 0) throw badRequest('No exec command specified');
      const doc = await engine.containers.inspect(params.id!);
      if (doc.State.Paused) throw new ApiError(409, `Container ${doc.Id} is paused, unpause the container before exec`);
      if (!doc.State.Running) throw new ApiError(409, `Container ${doc.Id} is not running`);
      const opts: ExecOptions = { cmd, tty: body.Tty === true, interactive: body.AttachStdin === true };
      const env = strs(body.Env, 'Env');
      if (env?.length) opts.env = env;
      const wd = str(body.WorkingDir, 'WorkingDir');
      if (wd) opts.workdir = wd;
      const user = str(body.User, 'User');
      if (user) opts.user = user;
      if (body.Privileged === true) opts.privileged = true;
      const x = sessionsOf(engine).newExec({
        containerId: doc.Id,
        opts,
        attach: { stdin: body.AttachStdin === true, stdout: body.AttachStdout !== false, stderr: body.AttachStderr !== false },
        detachKeys: str(body.DetachKeys, 'DetachKeys') ?? '',
      });
      sendJson(res, 201, { Id: x.id });
    },
  },
  {
    method: 'POST',
    path: '/exec/{id}/start',
    handle: async (ctx) => {
      const { engine, params, req } = ctx;
      const x = instance(engine, params.id!);
      const body = objOf(await readJson(req), 'body') ?? {};
      if (x.started) throw new ApiError(409, `Error: Exec command ${x.id} has already run`);
      const doc = await engine.containers.inspect(x.containerId);
      if (!doc.State.Running) throw new ApiError(409, `Container ${doc.Id} is not running`);
      x.started = true;
      x.running = true;
      const sessions = sessionsOf(engine);
      sessions.saveExec(x);
      if (body.Detach === true) {
        // docker answers at once and the process runs on; its end is not ours to see
        try {
          await engine.containers.exec(x.containerId, { ...x.opts, detach: true, interactive: false }, { stdout: devNull(), stderr: devNull() });
        } finally {
          x.running = false;
          sessions.saveExec(x);
        }
        return void ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 0 }).end();
      }
      // As dockerd: the terminal is the create's Tty; the stream is raw only when the start
      // says Tty (else multiplexed, a terminal's output as stdout frames; docker-py sends false).
      const tty = !!x.opts.tty;
      const conn = ctx.hijack();
      const io = connIO(conn, { tty: body.Tty === true, stdin: x.attach.stdin });
      x.io = io;
      if (x.size) io.stdout.resize(x.size.columns, x.size.rows);
      // a resize may arrive through another server process (dial-stdio: one per connection)
      const unwatch = tty ? sessions.watchSize(x.id, (z) => io.stdout.resize(z.columns, z.rows)) : () => undefined;
      const run = engine.containers.exec(x.containerId, { ...x.opts, tty }, io);
      run.catch(() => undefined);
      try {
        const code = await Promise.race([run, closed(conn).then(() => run)]);
        x.exitCode = code;
      } catch (e) {
        // the stream has begun: the error goes to the client as output, as docker's does
        x.exitCode = 126;
        if (!conn.destroyed) io.stderr.write(`${(e as Error).message}\n`);
      } finally {
        unwatch();
        x.running = false;
        x.io = undefined;
        sessions.saveExec(x);
        if (!conn.destroyed) await new Promise<void>((r) => conn.end(r));
      }
    },
  },
  {
    method: 'POST',
    path: '/exec/{id}/resize',
    handle: async (ctx) => {
      const x = instance(ctx.engine, ctx.params.id!);
      const h = intParam(ctx.query, 'h');
      const w = intParam(ctx.query, 'w');
      if (h === undefined || w === undefined || h < 0 || w < 0) throw badRequest('invalid resize: h and w must be non-negative integers');
      x.size = { columns: w, rows: h };
      if (x.io) x.io.stdout.resize(w, h);
      else sessionsOf(ctx.engine).saveSize(x.id, x.size);
      ctx.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 0 }).end();
    },
  },
  {
    method: 'GET',
    path: '/exec/{id}/json',
    handle: async (ctx) => {
      const x = instance(ctx.engine, ctx.params.id!);
      sendJson(ctx.res, 200, {
        CanRemove: false,
        ContainerID: x.containerId,
        DetachKeys: x.detachKeys,
        ExitCode: x.exitCode,
        ID: x.id,
        OpenStderr: x.attach.stderr,
        OpenStdin: x.attach.stdin,
        OpenStdout: x.attach.stdout,
        ProcessConfig: {
          arguments: x.opts.cmd.slice(1),
          entrypoint: x.opts.cmd[0],
          privileged: !!x.opts.privileged,
          tty: !!x.opts.tty,
          user: x.opts.user ?? '',
        },
        Running: x.running,
        Pid: x.pid,
      });
    },
  },
];

function devNull(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}
