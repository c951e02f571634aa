/**
 * The small HTTP servers of the registry tests (token service, proxies, redirect front) run as
 * `node -e SCRIPT` children: the tests block in spawnSync while berth talks to them, so they
 * cannot serve from the test's own event loop. Each script prints "ready" once it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * For a script: `forward(req, res, port[, onResponse])` sends the request on to 127.0.0.1:port
 * (a local registry); by default the answer goes back as it is. A failed upstream ends the
 * client's response rather than the server.
 */
export const FORWARD = `
const forward = (req, res, port, onResponse = (ur) => { res.writeHead(ur.statusCode, ur.headers); ur.pipe(res); }) => {
  const up = require('node:http').request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, onResponse);
  up.on('error', () => res.destroy());
  req.pipe(up);
};
`;

/** Starts `script` with `env` added to this process's environment; its stderr goes to the test's. */
export function spawnNodeServer(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Resolves when the server says it listens; fails, naming it as `what`, if it exits first. */
export function serverReady(proc: ChildProcess, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    proc.stdout!.once('data', () => resolve());
    proc.once('exit', (c) => reject(new Error(`${what} exited ${c}`)));
  });
}

/** The non-empty lines of a log a server appends to; none before it has written any. */
export function logLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
