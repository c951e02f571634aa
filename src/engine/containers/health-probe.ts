/**
 * One healthcheck probe: `runc exec` of the check inside the container (its own environment,
 * user, capabilities and cgroup, as dockerd's exec of the probe), bounded by the timeout, its
 * output cut at docker's 4096 bytes (limitedBuffer).
 */
import { spawn } from 'node:child_process';
import { MAX_OUTPUT_LEN } from './health.js';
import type { ProbeResult } from './health-scheduler.js';

/** runc's refusal to exec in a frozen container (exec would hang there until the timeout). */
const PAUSED = /cannot exec in a paused container/;

export interface ProbeTarget {
  runtime: string;
  runtimeRoot: string;
  id: string;
  argv: string[];
  timeoutMs: number;
}

/** Runs the probe; `signal` kills it (its job was dropped: the result is not wanted). */
export function probe(a: ProbeTarget, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const child = spawn(a.runtime, ['--root', a.runtimeRoot, 'exec', a.id, ...a.argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = Buffer.alloc(0);
    let truncated = false;
    const take = (b: Buffer) => {
      if (out.length + b.length > MAX_OUTPUT_LEN) {
        b = b.subarray(0, MAX_OUTPUT_LEN - out.length);
        truncated = true;
      }
      out = Buffer.concat([out, b]);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // runc exec passes it on to the probe
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    }, a.timeoutMs);
    const kill = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', kill, { once: true });
    const done = (r: ProbeResult) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve(r);
    };
    child.on('error', (e) => done({ exitCode: -1, output: e.message }));
    child.on('close', (code) => {
      if (timedOut) return done({ exitCode: -1, output: `Health check exceeded timeout (${goDuration(a.timeoutMs)})` });
      const output = out.toString('utf8') + (truncated ? '...' : '');
      if (code !== 0 && PAUSED.test(output)) return done({ exitCode: -1, output, paused: true });
      done({ exitCode: code ?? -1, output });
    });
  });
}

/** Go's Duration.String() for whole milliseconds: "30s", "1.5s", "500ms", "1m0s". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
