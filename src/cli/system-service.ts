/**
 * `berth system service [URI]`: docker's Engine API for the engine this command opens
 * (embedded by default), until stopped or idle for --time seconds (podman's model: nothing runs
 * when nobody uses it; systemd's berth.socket starts it on the first connection). Containers
 * it starts run under conmon, so they outlive it and `berth ps` sees them.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { UsageError } from './exit-codes.js';
import { ApiServer } from '../api/server.js';
import { allRoutes } from '../api/routes/index.js';
import { DEFAULT_URI, listen, parseUri, systemdFds, type TlsFiles } from '../api/listen.js';
import { join } from 'node:path';
import { debug, enginePaths, openEmbedded as openEmbeddedEngine, requireRoot } from '../engine/index.js';
import type { Engine } from '../engine/api.js';

/**
 * The embedded engine of this state root, never a daemon that DOCKER_HOST or a context names:
 * a user who exported DOCKER_HOST=unix:///run/berth/berth.sock for docker's CLI would otherwise
 * get a service that serves itself.
 */
export async function openEmbedded(ctx: CliContext): Promise<Engine> {
  requireRoot();
  return openEmbeddedEngine({ root: ctx.globals.root, runRoot: ctx.globals.runRoot });
}

/** Exec instances shared by every server process of this engine (the service, each dial-stdio). */
export function execDir(ctx: CliContext): string {
  return join(enginePaths({ runRoot: ctx.globals.runRoot }).runRoot, 'api', 'exec');
}

interface Opts {
  time: string;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('[URI]', 'unix:///path, tcp://host:port or fd:// (systemd sockets)')
    .option('-t, --time <seconds>', 'Seconds without a request before the service exits (0 = never)', '5')
    .option('--tlsverify', 'Require clients to present a certificate signed by --tlscacert')
    .option('--tlscacert <file>', 'CA certificate clients must be signed by')
    .option('--tlscert <file>', "Server's TLS certificate")
    .option('--tlskey <file>', "Server's TLS key")
    .action(async (uri: string | undefined, o: Opts) => {
      const idle = Number(o.time);
      if (!Number.isFinite(idle) || idle < 0) throw new UsageError(`invalid argument "${o.time}" for "-t, --time" flag: must be a number of seconds ≥ 0`);
      const g = ctx.globals.tls ?? {};
      const cert = o.tlscert ?? g.cert;
      const key = o.tlskey ?? g.key;
      const ca = o.tlscacert ?? g.caCert;
      const verify = Boolean(o.tlsverify ?? g.verify);
      if (verify && !ca) throw new UsageError('--tlsverify needs --tlscacert');
      if ((cert || key || verify) && !(cert && key)) throw new UsageError('TLS needs both --tlscert and --tlskey');
      const tls: TlsFiles | undefined = cert && key ? { verify, ca, cert, key } : undefined;
      // Activated by systemd with no URI: its sockets.
      const where = parseUri(uri ?? (systemdFds().length ? 'fd://' : DEFAULT_URI));
      const engine = await openEmbedded(ctx);
      try {
        await serve(engine, where, tls, idle, execDir(ctx));
      } finally {
        await engine.close();
      }
    });
}

async function serve(engine: Engine, where: ReturnType<typeof parseUri>, tls: TlsFiles | undefined, idle: number, execDir: string): Promise<void> {
  const server = new ApiServer({ engine, routes: allRoutes, execDir, onRequest: (m, u) => debug(`api: ${m} ${u}`) });
  const { servers, cleanup } = await listen(server.http, where, tls);
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (timer) clearInterval(timer);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      for (const s of servers) s.close();
      server.http.close();
      server.http.closeAllConnections();
      cleanup();
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (idle > 0) timer = setInterval(() => server.idleFor() >= idle * 1000 && stop(), Math.min(1000, idle * 250));
  });
}
