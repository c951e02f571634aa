/**
 * Checks shared by the tests of the Docker-API backend on each engine it speaks to (dockerd,
 * Podman's compat socket): the same code must give the same answers on both, so both test files
 * run these rather than two copies that could drift apart.
 */
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import type { ProcessIO, StatsSample } from '../../src/engine/api.js';
import type { DockerClient } from '../../src/engine/docker/client.js';
import type { DockerEngine } from '../../src/engine/docker/engine.js';
import { createSampler, type DockerStatsSampler } from '../../src/engine/docker/stats.js';

/** A process's IO that keeps what it writes (and, given `stdin`, feeds it that). */
export function capture(stdin?: string): ProcessIO & { out: () => string; err: () => string } {
  let o = '';
  let e = '';
  return {
    ...(stdin !== undefined ? { stdin: Readable.from([Buffer.from(stdin)]) as ProcessIO['stdin'] } : {}),
    stdout: new Writable({ write: (c, _e, cb) => ((o += c.toString()), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((e += c.toString()), cb()) }),
    out: () => o,
    err: () => e,
  };
}

/** exec in the running `container`: exit code and both streams, stdin when interactive, a tty. */
export async function checkExec(engine: DockerEngine, container: string): Promise<void> {
  const io = capture();
  assert.equal(await engine.containers.exec(container, { cmd: ['sh', '-c', 'echo hi; echo oops >&2; exit 7'] }, io), 7);
  assert.equal(io.out(), 'hi\n');
  assert.equal(io.err(), 'oops\n');
  const piped = capture('echo from-stdin\n');
  assert.equal(await engine.containers.exec(container, { cmd: ['sh'], interactive: true }, piped), 0);
  assert.equal(piped.out(), 'from-stdin\n');
  const tty = capture();
  assert.equal(await engine.containers.exec(container, { cmd: ['sh', '-c', 'tty >/dev/null && echo is-tty'], tty: true }, tty), 0);
  assert.match(tty.out(), /is-tty/);
}

export type SamplerOpts = Parameters<typeof createSampler>[1];

/**
 * For each [mode, options]: a sampler made with the options works in that mode and tells the
 * running containers `busy` (a spinning loop) and `idle` (asleep) apart by CPU, with memory and
 * PIDs. `more` checks what one engine's test adds, with the sampler still open.
 */
export async function checkStatsModes(
  client: DockerClient,
  modes: readonly (readonly [string, SamplerOpts])[],
  names: { busy: string; idle: string },
  more?: (s: DockerStatsSampler, busy: StatsSample, idle: StatsSample) => Promise<void>,
): Promise<void> {
  for (const [label, opts] of modes) {
    const s = await createSampler(client, opts);
    try {
      let last = await s.sample();
      // CPU % needs two readings: the first pass of a sampler may not have them yet.
      for (let i = 0; i < 5 && !(last.length >= 2 && last.every((x) => x.cpuPercent !== null)); i++) {
        await new Promise((r) => setTimeout(r, 1100));
        last = await s.sample();
      }
      assert.equal(s.mode, label);
      const busy = last.find((x) => x.name === names.busy);
      const idle = last.find((x) => x.name === names.idle);
      assert.ok(busy && idle, `${label}: ${JSON.stringify(last)}`);
      // A spinning loop gets what the (shared, 2-core) host leaves it: clearly busy, not a fixed share.
      assert.ok((busy.cpuPercent ?? 0) > 10, `${label}: busy at ${busy.cpuPercent}%`);
      assert.ok((idle.cpuPercent ?? 100) < 10, `${label}: idle at ${idle.cpuPercent}%`);
      assert.ok(busy.memUsage > 0 && busy.memLimit > 0 && busy.pids >= 1, `${label}: ${JSON.stringify(busy)}`);
      await more?.(s, busy, idle);
    } finally {
      await s.close();
    }
  }
}
