/**
 * A run's own disk: the project's built code (as a host checkout has it after setup.sh: dist/,
 * bin/, scripts/node, package.json, node_modules and a Node ≥ 22 at .runtime/node), the program
 * to run, and an empty out/ for its results. Made from a staging directory by `mkfs.ext4 -d`,
 * so making it needs no mount and no loop device.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStep } from './exec.js';
import { JOB_ENTRY, JOB_LABEL } from './guest-files.js';

/** Where the project is on the job disk, and so in the guest under /job. */
export const PROJECT_DIR = 'berth';
export const OUT_DIR = 'out';
/** Written by the entry when the program ended: its exit status. */
export const STATUS_FILE = 'status';
/** Written by the entry when the program ended: the guest's journal of this boot. */
export const JOURNAL_FILE = 'journal.txt';

/**
 * The job unit runs this; it runs the caller's program and records how it ended, whatever the
 * program did (its output goes to the journal and the console through the unit).
 */
const ENTRY = `#!/bin/sh
cd /job/${PROJECT_DIR}
/bin/sh /job/program
status=$?
echo "$status" > /job/${OUT_DIR}/${STATUS_FILE}
journalctl -b --no-pager -o short-monotonic > /job/${OUT_DIR}/${JOURNAL_FILE} 2>&1
sync
echo "berth-vm: program exited $status"
exit "$status"
`;

export interface JobDiskOptions {
  /** The host checkout to copy (its node_modules and .runtime/node may be links: followed). */
  projectRoot: string;
  /** The shell program the guest runs (/bin/sh, in the project's directory). */
  program: string;
  /** Where to make it: the image is `<workDir>/job.img`. */
  workDir: string;
  size?: string;
}

export async function makeJobDisk(o: JobDiskOptions): Promise<string> {
  const stage = join(o.workDir, 'job');
  const project = join(stage, PROJECT_DIR);
  mkdirSync(join(stage, OUT_DIR), { recursive: true });
  mkdirSync(join(project, 'scripts'), { recursive: true });
  mkdirSync(join(project, '.runtime'), { recursive: true });
  writeFileSync(join(stage, JOB_ENTRY), ENTRY, { mode: 0o755 });
  writeFileSync(join(stage, 'program'), o.program, { mode: 0o755 });
  const src = (p: string) => join(o.projectRoot, p);
  // cp -a keeps the links inside node_modules (its .bin) and the modes; the top-level
  // node_modules link itself (a worktree's, to a shared install) is followed.
  const copy = (from: string, to: string) => runStep(`copy ${from}`, ['cp', '-a', from, to], { timeoutMs: 120_000 });
  // node_modules (~100 MB, only read from here on) as hard links when on the same file system.
  const modules = realpathSync(src('node_modules'));
  const linkModules = () =>
    runStep('link node_modules', ['cp', '-al', modules, join(project, 'node_modules')], { timeoutMs: 120_000 }).catch(() => {
      rmSync(join(project, 'node_modules'), { recursive: true, force: true });
      return copy(modules, join(project, 'node_modules'));
    });
  await Promise.all([copy(src('dist'), join(project, 'dist')), copy(src('bin'), join(project, 'bin')), linkModules()]);
  copyFileSync(src('scripts/node'), join(project, 'scripts/node'));
  copyFileSync(src('package.json'), join(project, 'package.json'));
  // Data files the engine reads from its source tree at run time (docker's seccomp profile).
  mkdirSync(join(project, 'src/engine/runtime'), { recursive: true });
  await copy(src('src/engine/runtime/seccomp'), join(project, 'src/engine/runtime/seccomp'));
  // The systemd units berth ships, tested as shipped under the guest's systemd.
  await copy(src('contrib'), join(project, 'contrib'));
  // The Node the project runs: setup.sh's choice at .runtime/node, else the one running us
  // (scripts/node picked it: ≥ 22). bin/berth and scripts/node run .runtime/node when it exists.
  copyFileSync(existsSync(src('.runtime/node')) ? realpathSync(src('.runtime/node')) : process.execPath, join(project, '.runtime/node'));
  chmodSync(join(project, '.runtime/node'), 0o755);
  const image = join(o.workDir, 'job.img');
  try {
    await runStep('mkfs.ext4 (job disk)', ['mkfs.ext4', '-q', '-F', '-L', JOB_LABEL, '-d', stage, image, o.size ?? '2G'], { timeoutMs: 180_000 });
  } finally {
    rmSync(stage, { recursive: true, force: true }); // a few hundred MB, now in the image
  }
  return image;
}
