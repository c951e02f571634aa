/**
 * One run of a program in a fresh pure-cgroup-v2 Debian 12 VM: the cached base image (built on
 * first use), a new job disk with the project's built code, one boot, the results read back
 * from the job disk with debugfs after the guest powered off (no mount, no loop device).
 * Everything the run made on the host is removed before it returns, also when it fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runStep, tail } from './exec.js';
import { ensureVmImage } from './image.js';
import { JOURNAL_FILE, OUT_DIR, STATUS_FILE, makeJobDisk } from './job-disk.js';
import { type BootResult, boot } from './qemu.js';

export interface VmRunOptions {
  projectRoot: string;
  /** Shell program run in the guest, in the project's directory; results go to /job/out. */
  program: string;
  /** For the boot and the program together; the image build (cold cache) is not counted. */
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface VmRun {
  /** The program's exit status; null when it never finished (the guest hung or crashed). */
  status: number | null;
  /** The files the program left in /job/out, by path relative to it (status and journal too). */
  files: Map<string, string>;
  console: string;
  boot: BootResult;
  timings: { imageMs: number; diskMs: number; bootMs: number };
  /** What to show when the run failed: how qemu ended, the journal's and the console's tails. */
  failureReport(): string;
}

export async function runInVm(o: VmRunOptions): Promise<VmRun> {
  const log = o.log ?? (() => undefined);
  const t0 = Date.now();
  const image = await ensureVmImage(log);
  const t1 = Date.now();
  sweepDeadRuns();
  // /var/tmp: a disk, not a tmpfs (the job disk and qemu's snapshot overlay are large). The
  // pid in the name lets a later run remove it if this process dies before its finally.
  const work = mkdtempSync(join(RUNS_DIR, `${RUN_PREFIX}${process.pid}-`));
  try {
    const jobDisk = await makeJobDisk({ projectRoot: o.projectRoot, program: o.program, workDir: work });
    const t2 = Date.now();
    const consoleLog = join(work, 'console.log');
    const result = await boot({ image, jobDisk, consoleLog, tmpDir: work, timeoutMs: o.timeoutMs });
    const files = await readOut(jobDisk, join(work, 'results'));
    const consoleText = existsSync(consoleLog) ? readFileSync(consoleLog, 'latin1') : '';
    const statusText = files.get(STATUS_FILE)?.trim();
    const status = statusText && /^\d+$/.test(statusText) ? Number(statusText) : null;
    return {
      status,
      files,
      console: consoleText,
      boot: result,
      timings: { imageMs: t1 - t0, diskMs: t2 - t1, bootMs: result.ms },
      failureReport() {
        const how = result.timedOut
          ? `the VM did not power off in ${Math.round(result.ms / 1000)} s (deadline ${Math.round(o.timeoutMs / 1000)} s, extended while its console grew; qemu killed)`
          : `qemu exited ${result.code ?? result.signal}${status === null ? ', the program never finished' : `, the program exited ${status}`}`;
        const journal = files.get(JOURNAL_FILE);
        return [
          how,
          result.stderr.trim() && `--- qemu stderr ---\n${tail(result.stderr, 20)}`,
          journal && `--- guest journal (tail) ---\n${tail(journal, 60)}`,
          `--- guest console (tail) ---\n${tail(consoleText, journal ? 40 : 120)}`,
        ]
          .filter(Boolean)
          .join('\n');
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const RUNS_DIR = '/var/tmp';
const RUN_PREFIX = 'berth-vm-';

/** Work directories of runs whose process is gone (killed: its qemu died with it). */
function sweepDeadRuns(): void {
  for (const e of readdirSync(RUNS_DIR)) {
    const pid = Number(new RegExp(`^${RUN_PREFIX}(\\d+)-`).exec(e)?.[1]);
    if (!pid || pid === process.pid || existsSync(`/proc/${pid}`)) continue;
    rmSync(join(RUNS_DIR, e), { recursive: true, force: true });
  }
}

/** /job/out of the job disk, read with debugfs (the guest has powered off: the disk is ours). */
async function readOut(jobDisk: string, dest: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  mkdirSync(dest, { recursive: true });
  // debugfs reports a missing path on stderr and still exits 0: an empty map says it.
  await runStep('read results (debugfs)', ['debugfs', '-R', `rdump /${OUT_DIR} ${dest}`, jobDisk], { timeoutMs: 60_000 });
  const root = join(dest, OUT_DIR);
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return files;
}
