/**
 * `berth system dial-stdio`: one Engine API connection over stdin/stdout, for the engine this
 * command opens. `ssh host berth system dial-stdio` is how `berth -H ssh://host` (and docker's
 * own `docker -H ssh://` pointed at it) reach a remote berth with no daemon running there.
 * stdin's end is the client's half-close; the process exits when the connection is done.
 */
import type { Command } from 'commander';
import { Duplex } from 'node:stream';
import type { CliContext } from './context.js';
import type { Engine } from '../engine/api.js';
import { debug } from '../engine/index.js';
import { ApiServer } from '../api/server.js';
import { allRoutes } from '../api/routes/index.js';
import { execDir, openEmbedded } from './system-service.js';

/** stdin/stdout as one socket-like Duplex (node's http server takes any Duplex as a connection). */
function stdioConnection(): Duplex {
  const conn = new Duplex({
    read() {
      process.stdin.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      process.stdout.write(chunk, (e) => cb(e ?? null));
    },
    final(cb) {
      process.stdout.end(() => cb());
    },
    allowHalfOpen: true,
  });
  process.stdin.on('data', (c: Buffer) => {
    if (!conn.push(c)) process.stdin.pause();
  });
  process.stdin.on('end', () => conn.push(null));
  process.stdout.on('error', () => conn.destroy());
  return conn;
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd.action(async () => {
    const engine = await openEmbedded(ctx);
    try {
      await serveOne(engine, execDir(ctx));
    } finally {
      await engine.close();
    }
  });
}

async function serveOne(engine: Engine, execDir: string): Promise<void> {
  const server = new ApiServer({ engine, routes: allRoutes, execDir, onRequest: (m, u) => debug(`api: ${m} ${u}`) });
  const conn = stdioConnection();
  await new Promise<void>((resolve) => {
    conn.on('close', resolve);
    // As docker's dial-stdio: done when the server has closed its side (the answer to a
    // `Connection: close` request, or a hijacked stream's end), whether or not stdin ended; or
    // when the client closed its side and nothing is left to answer.
    conn.on('finish', resolve);
    conn.on('end', () => setImmediate(() => !server.busy && conn.writableFinished && resolve()));
    server.http.emit('connection', conn);
  });
  // stdin may still be open (the client did not close its side): it must not keep us alive
  process.stdin.destroy();
}
