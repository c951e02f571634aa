/**
 * The healthcheck jobs of one state root: a file per running container with a healthcheck,
 * `<runroot>/health/jobs/<id>.json`, written by the berth command that started the container and
 * removed by the one that releases it; the root's one monitor process (health-monitor.ts) runs
 * whatever is there. Why one directory under the runroot rather than a file in each container's
 * directory: the monitor rescans the jobs every second, and a directory that holds only live jobs
 * is one readdir of a few names where the containers directory holds every stopped container
 * too; and a job is runtime state, like the runroot's other pid files (a reboot, which ends every
 * container, clears them with it). The runroot belongs to one state root, as runc's states in it do.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, processStart } from '../process-alive.js';

/** One container's healthcheck, as the monitor runs it. */
export interface HealthJob {
  id: string;
  /** The container's process and its start time (clock ticks): a reused pid is not the container. */
  pid: number;
  pidStart: string;
  /** When the container started (ms since the epoch): the start period counts from it. */
  startedAt: number;
  /** The OCI runtime that runs the container (its --root is the state root's). */
  runtime: string;
  argv: string[];
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  retries: number;
}

/** Where a state root's healthcheck files are, under its runroot. */
export function healthPaths(runRoot: string) {
  const dir = join(runRoot, 'health');
  return { dir, jobs: join(dir, 'jobs'), pidFile: join(dir, 'monitor.pid'), lockFile: join(dir, 'monitor.lock') };
}

const jobFile = (runRoot: string, id: string) => join(healthPaths(runRoot).jobs, `${id}.json`);

/** Writes (or replaces) a container's job, atomically: the monitor never reads half a file. */
export function writeJob(runRoot: string, job: HealthJob): void {
  mkdirSync(healthPaths(runRoot).jobs, { recursive: true, mode: 0o700 });
  const f = jobFile(runRoot, job.id);
  const tmp = `${f}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(job));
  renameSync(tmp, f);
}

export function removeJob(runRoot: string, id: string): void {
  rmSync(jobFile(runRoot, id), { force: true });
}

/** A job file's content, checked once here (the monitor trusts what this returns). */
export function parseJob(text: string): HealthJob | undefined {
  let j: Partial<HealthJob> | null;
  try {
    j = JSON.parse(text) as Partial<HealthJob> | null;
  } catch {
    return undefined;
  }
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (
    !j ||
    typeof j.id !== 'string' ||
    !/^[a-f0-9]{64}$/.test(j.id) ||
    !(Number.isInteger(j.pid) && j.pid! > 0) ||
    typeof j.pidStart !== 'string' ||
    typeof j.runtime !== 'string' ||
    !Array.isArray(j.argv) ||
    !j.argv.length ||
    !j.argv.every((s) => typeof s === 'string') ||
    ![j.startedAt, j.intervalMs, j.timeoutMs, j.startPeriodMs, j.retries].every(num)
  ) {
    return undefined;
  }
  return j as HealthJob;
}

/** Every readable job, or undefined when the jobs directory is gone (`system reset` removed the runroot). */
export function readJobs(runRoot: string): HealthJob[] | undefined {
  const dir = healthPaths(runRoot).jobs;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e; // not a verdict on the jobs (EMFILE, EIO): the caller tries again later
  }
  const out: HealthJob[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue; // a writer's .tmp
    const j = readJob(join(dir, n));
    if (j && `${j.id}.json` === n) out.push(j);
  }
  return out;
}

function readJob(file: string): HealthJob | undefined {
  try {
    return parseJob(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // removed meanwhile
  }
}

/** The same run of the same container: a new start writes a new job over the old one. */
export function sameJob(a: HealthJob, b: HealthJob): boolean {
  return a.id === b.id && a.pid === b.pid && a.pidStart === b.pidStart && a.startedAt === b.startedAt;
}

/** Whether the job is still the container's current one and its process still runs. */
export function jobCurrent(runRoot: string, job: HealthJob): boolean {
  const onDisk = readJob(jobFile(runRoot, job.id));
  return !!onDisk && sameJob(onDisk, job) && jobAlive(job);
}

export function jobAlive(job: HealthJob): boolean {
  return job.pidStart ? processStart(job.pid) === job.pidStart : alive(job.pid);
}
