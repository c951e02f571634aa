/**
 * docker's --sig-proxy: while berth is attached to a container without a tty, the signals berth
 * receives are sent on to the container's main process, so that Ctrl-C or a `kill` of berth
 * reaches the program rather than only ending berth (the container lives on under conmon). With
 * a tty there is nothing to proxy: the terminal is raw and Ctrl-C travels as a byte. SIGKILL and
 * SIGSTOP cannot be caught; SIGCHLD, SIGPIPE, SIGWINCH and SIGURG are berth's own (as docker's).
 */
import type { Engine } from '../engine/api.js';

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM'];

/** Starts forwarding to container `id`; returns the function that stops it. */
export function proxySignals(engine: Engine, id: string): () => void {
  const handlers = FORWARDED.map((sig) => {
    // a container that has just exited cannot be signalled: nothing to report
    const h = () => void engine.containers.kill(id, sig).catch(() => undefined);
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}

/** As proxySignals, after asking whether the container has a tty (then: nothing to forward). */
export async function proxySignalsUnlessTty(engine: Engine, id: string): Promise<() => void> {
  const tty = (await engine.containers.inspect(id)).Config.Tty === true;
  return tty ? () => undefined : proxySignals(engine, id);
}
