/**
 * Booting the VM once: qemu with TCG (this host's KVM hangs a guest kernel right after
 * decompression), the cached root as a throw-away snapshot, the run's job disk, the serial
 * console into a file. Bounded: past the deadline the qemu we started is ended by its PID, and
 * it also dies with the test process (PR_SET_PDEATHSIG through setpriv), so none is ever left.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { VmImage } from './image.js';

export interface BootOptions {
  image: VmImage;
  jobDisk: string;
  consoleLog: string;
  /** Where qemu puts the snapshot overlay of the root (it unlinks it at once). */
  tmpDir: string;
  timeoutMs: number;
  memoryMb?: number;
  cpus?: number;
}

export interface BootResult {
  /** qemu's exit: 0 after the guest powered off. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  ms: number;
  /** qemu's own stderr (its errors, not the guest's). */
  stderr: string;
}

/** The name qemu runs under (ps, the leak audit): `-name …,process=`. */
export const QEMU_PROCESS_NAME = 'berth-test-vm';

export function qemuArgs(o: BootOptions): string[] {
  const append = [
    'root=/dev/vda',
    'rw',
    'console=ttyS0',
    // A kernel panic ends the run at once (-no-reboot turns the reboot into qemu's exit).
    'panic=1',
    // TCG pays for every mitigation in emulated instructions; the guest runs only our tests.
    'mitigations=off',
    'loglevel=4',
  ].join(' ');
  return [
    '-name',
    `${QEMU_PROCESS_NAME},process=${QEMU_PROCESS_NAME}`,
    // qemu64 rather than max: the guest's libc and Node then take the plain code paths, which
    // TCG runs faster (the whole test: ~95 s against ~117 s, measured back to back).
    '-accel',
    'tcg,thread=multi',
    '-cpu',
    'qemu64',
    '-smp',
    String(o.cpus ?? 2),
    '-m',
    String(o.memoryMb ?? 2048),
    '-nodefaults',
    '-display',
    'none',
    '-monitor',
    'none',
    '-no-reboot',
    '-serial',
    `file:${o.consoleLog}`,
    '-kernel',
    o.image.kernel,
    '-initrd',
    o.image.initrd,
    '-append',
    append,
    '-drive',
    `file=${o.image.root},format=raw,if=virtio,snapshot=on`,
    '-drive',
    `file=${o.jobDisk},format=raw,if=virtio`,
    // Entropy from the host: Node's start-up asks for random bytes.
    '-device',
    'virtio-rng-pci',
  ];
}

/** How long a guest past its deadline may stay silent on its console. */
const STALL_MS = 120_000;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function boot(o: BootOptions): Promise<BootResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    // setpriv execs qemu in place (same PID) after setting the parent-death signal.
    const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'qemu-system-x86_64', ...qemuArgs(o)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TMPDIR: o.tmpDir },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += b.toString();
    });
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      timedOut = true;
      if (!child.pid) return;
      process.kill(child.pid, 'SIGTERM'); // qemu exits on SIGTERM
      killTimer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
    };
    // Past the deadline a guest that still writes to its console is slow, not stuck (a TCG guest
    // on a loaded host boots several times slower): it gets more time while its console grows,
    // up to twice the deadline; one that has gone quiet for STALL_MS is ended.
    let seen = -1;
    const check = () => {
      const size = sizeOf(o.consoleLog);
      if (size > seen && Date.now() - t0 < 2 * o.timeoutMs) {
        seen = size;
        timer = setTimeout(check, STALL_MS);
      } else stop();
    };
    let timer = setTimeout(
      () => {
        seen = sizeOf(o.consoleLog);
        timer = setTimeout(check, STALL_MS);
      },
      Math.max(0, o.timeoutMs - STALL_MS),
    );
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start qemu (setup.sh installs qemu-system-x86): ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ code, signal, timedOut, ms: Date.now() - t0, stderr });
    });
  });
}
