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
import { ApiServer } from '../api/server.js';
import { allRoutes } from '../api/routes/index.js';
import { openEmbedded } from './system-service.js';

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
      await serveOne(engine);
    } finally {
      await engine.close();
    }
  });
}

async function serveOne(engine: Engine): Promise<void> {
  const server = new ApiServer({ engine, routes: allRoutes });
  const conn = stdioConnection();
  await new Promise<void>((resolve) => {
    conn.on('close', resolve);
    // Both directions done: the client closed its side and we answered everything.
    let readDone = false;
    let writeDone = false;
    const check = () => readDone && writeDone && !server.busy && resolve();
    conn.on('end', () => {
      readDone = true;
      setImmediate(check);
    });
    conn.on('finish', () => {
      writeDone = true;
      check();
    });
    server.http.emit('connection', conn);
  });
}
