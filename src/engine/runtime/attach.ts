/**
 * Attaches a ProcessIO to a container's main process through conmon's attach socket.
 *
 * conmon's protocol (src/conn_sock.c, src/ctr_stdio.c, src/ctrl.c of containers/conmon):
 * - SOCKETDIR/ID is a symlink to the bundle; the socket is SOCKETDIR/ID/attach, SOCK_SEQPACKET.
 *   Node's net module cannot speak SEQPACKET, hence node-unix-socket. The path is reached as
 *   /proc/self/fd/N/attach through an open fd of the directory, as podman does, so a long
 *   runroot cannot overflow sun_path's 108 bytes.
 * - conmon → us: one message per read of the container's output, first byte the stream
 *   (2 stdout, 3 stderr; with a tty everything is 2), the rest the bytes.
 * - us → conmon: raw stdin bytes, no framing; conmon reads at most 32767 bytes per message.
 *   Shutting down our write side makes conmon close the container's stdin, unless conmon runs
 *   with --leave-stdin-open.
 * - Resize: "1 <rows> <cols>\n" written to the bundle's `ctl` FIFO.
 * - The socket closes when the container exits; the exit code is then in the exit file.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SeqpacketSocket } from 'node-unix-socket';
import type { ProcessIO } from '../api.js';
import { conflict, runtimeError } from '../errors.js';
import { DEFAULT_DETACH_KEYS, DetachMatcher, parseDetachKeys } from './detach-keys.js';
import { readExitFile, waitExitFile } from './exit-file.js';

const STDOUT = 2;
const STDERR = 3;
const MAX_STDIN_MSG = 32 * 1024 - 1; // conmon's CONN_SOCK_BUF_SIZE - 1
const WIN_RESIZE_EVENT = 1;

export interface AttachOptions {
  id: string;
  /** The --socket-dir-path given to conmon. */
  socketDir: string;
  /** The bundle (for the ctl FIFO). */
  bundle: string;
  /** The exit file conmon writes (EXITDIR/ID). */
  exitFile: string;
  io: ProcessIO;
  /** The container runs with a terminal (conmon -t). */
  tty: boolean;
  /** Forward io.stdin (the container must have been created with stdin: true). */
  stdin?: boolean;
  /** docker syntax; default "ctrl-p,ctrl-q"; '' disables detaching. */
  detachKeys?: string;
  /** Called once attached, before any output is read: start the container here for `run -a`
   *  so no output is missed. A rejection ends the attach with that error. */
  onAttached?: () => Promise<void>;
  /** Aborting detaches (resolves 'detached'). */
  signal?: AbortSignal;
  /** How long to wait for the exit file after conmon closed the socket (ms). */
  exitTimeoutMs?: number;
}

export function attachContainer(o: AttachOptions): Promise<'detached' | number> {
  const keys = parseDetachKeys(o.detachKeys ?? DEFAULT_DETACH_KEYS);
  const matcher = new DetachMatcher(keys);
  // Already exited: nothing to attach to (docker says so too).
  const code = readExitFile(o.exitFile);
  if (code !== undefined) return Promise.reject(conflict(`container ${o.id} is not running (exited with ${code})`));

  return new Promise((resolve, reject) => {
    const sock = new SeqpacketSocket();
    let dirFd: number | undefined;
    let finished = false;
    let rawSet = false;
    const input = o.stdin ? o.io.stdin : undefined;

    const finish = (result: { value?: 'detached' | number; error?: unknown }) => {
      if (finished) return;
      finished = true;
      if (input) {
        input.off('data', onInput);
        input.off('end', onInputEnd);
        input.pause();
        if (rawSet) input.setRawMode?.(false);
      }
      (o.io.stdout as Partial<NodeJS.EventEmitter>).off?.('resize', onResize);
      o.signal?.removeEventListener('abort', onAbort);
      // Never destroy inside the socket's own 'data'/'end' callbacks: node-unix-socket aborts
      // the process then (platform notes). Defer to a fresh tick.
      setImmediate(() => {
        try {
          sock.destroy();
        } catch {
          // already closed
        }
      });
      if (dirFd !== undefined) closeFd(dirFd);
      if (result.error !== undefined) reject(result.error);
      else resolve(result.value!);
    };

    const onMessage = (buf: Buffer) => {
      if (finished || buf.length === 0) return;
      const stream = buf[0];
      const payload = buf.subarray(1);
      if (payload.length === 0) return;
      if (stream === STDERR && !o.tty) o.io.stderr.write(payload);
      else if (stream === STDOUT || stream === STDERR) o.io.stdout.write(payload);
    };

    const onInput = (chunk: Buffer | string) => {
      if (finished) return;
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const { forward, detach } = matcher.feed(b);
      if (forward.length) send(forward);
      if (detach) finish({ value: 'detached' });
    };
    const onInputEnd = () => {
      // EOF on a non-tty stdin: tell conmon (it closes the container's stdin, docker's
      // StdinOnce); with a tty there is no EOF to pass on.
      if (!finished && !o.tty) {
        try {
          sock.end();
        } catch {
          // socket already gone
        }
      }
    };
    const send = (b: Buffer) => {
      for (let off = 0; off < b.length; off += MAX_STDIN_MSG) {
        try {
          sock.write(b.subarray(off, off + MAX_STDIN_MSG));
        } catch {
          return; // container gone; the socket's end event finishes us
        }
      }
    };
    const onResize = () => resize(o.bundle, o.io.stdout.rows, o.io.stdout.columns);
    const onAbort = () => finish({ value: 'detached' });

    const onPeerClosed = () => {
      if (finished) return;
      // The container exited (or conmon died): the exit file tells which.
      waitExitFile(o.exitFile, { timeoutMs: o.exitTimeoutMs ?? 10_000 }).then(
        (c) => finish({ value: c }),
        (e) => finish({ error: runtimeError(`container ${o.id}: attach socket closed without an exit code`, e) }),
      );
    };

    sock.on('data', onMessage);
    sock.on('end', onPeerClosed);
    sock.on('close', onPeerClosed);
    sock.on('error', (e: Error) => {
      if (!finished) finish({ error: runtimeError(`attach to ${o.id}: ${e.message}`, e) });
    });

    try {
      dirFd = openSync(join(o.socketDir, o.id), constants.O_RDONLY | constants.O_DIRECTORY);
      sock.connect(`/proc/self/fd/${dirFd}/attach`, () => {
        if (dirFd !== undefined) {
          closeFd(dirFd);
          dirFd = undefined;
        }
        if (finished) return;
        if (o.tty) {
          onResize();
          o.io.stdout.on?.('resize', onResize);
        }
        if (input) {
          if (o.tty && input.isTTY && input.setRawMode) {
            input.setRawMode(true);
            rawSet = true;
            // libuv's raw mode keeps output post-processing (ONLCR): the container's pty already
            // sends \r\n, and a full-screen program's bare \n (cursor down) would become \r\n
            // and garble vi or top. Docker's raw mode (cfmakeraw) clears OPOST; so do we.
            // setRawMode(false) restores the terminal as it was, OPOST included.
            if (input === process.stdin) spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
          }
          input.on('data', onInput);
          input.on('end', onInputEnd);
          input.resume();
        }
        if (o.signal) {
          if (o.signal.aborted) return onAbort();
          o.signal.addEventListener('abort', onAbort, { once: true });
        }
        o.onAttached?.().catch((e: unknown) => finish({ error: e }));
      });
    } catch (e) {
      finish({ error: runtimeError(`cannot attach to ${o.id}: ${(e as Error).message}`, e) });
    }
  });
}

function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // closed already
  }
}

/** Tells conmon the terminal's size (it sets it on the container's pty). */
export function resize(bundle: string, rows?: number, cols?: number): void {
  if (!rows || !cols) return;
  const r = Math.min(Math.max(1, Math.floor(rows)), 1000);
  const c = Math.min(Math.max(1, Math.floor(cols)), 1000);
  let fd: number | undefined;
  try {
    // Non-blocking: conmon holds the read end; if it is gone, fail instead of hanging.
    fd = openSync(join(bundle, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, `${WIN_RESIZE_EVENT} ${r} ${c}\n`);
  } catch {
    // conmon gone or no terminal: nothing to resize
  } finally {
    if (fd !== undefined) closeFd(fd);
  }
}
