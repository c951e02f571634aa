/**
 * Handing the terminal to a process inside a container (shell, attach) and getting it back.
 *
 * The engine's exec/attach are async and pump the streams themselves, where the platform notes
 * found async child processes next to Ink unreliable (Ink kept reading stdin and stole keys).
 * So the dashboard makes the handoff explicit:
 *  1. Ink's suspendTerminal() leaves the alternate screen, turns raw mode off and *detaches its
 *     stdin listener*, so nothing in Ink reads keys while the child owns them; Ink also stops
 *     drawing (state updates while suspended are not rendered).
 *  2. We put the tty in raw mode (a tty exec forwards every key, Ctrl-C included, to the
 *     container's pty), clear the screen, and await the engine call with our real stdin/stdout.
 *     Detaching Ink's listener is not enough: Node's tty stream keeps its handle reading fd 0
 *     into the stream's buffer (up to its high-water mark) with nobody listening. The embedded
 *     engine gives runc our very fd 0 for a tty exec, so two processes read one terminal and
 *     keys went to whichever read first — the end-to-end test lost typed command lines to it,
 *     and the dashboard then acted on them as keys (a second shell, a new sort order).
 *     So the handle stops reading for the handoff; an engine that pumps stdin itself (attach)
 *     resumes the stream, which starts the handle again, and so does Ink when it takes over.
 *  3. Afterwards we drop whatever listeners the engine left on stdin (a leftover 'data' listener
 *     would eat keys meant for the dashboard), pause the stream and restore cooked mode; resuming
 *     Ink re-enters the alternate screen, re-arms raw mode and forces a full redraw.
 * The finally blocks run on errors too, so a failed exec still comes back to a working dashboard.
 */
import type { ProcessIO } from '../engine/api.js';

export type Suspend = (callback: () => Promise<void>) => Promise<void>;

type TtyIn = NonNullable<ProcessIO['stdin']> & { isRaw?: boolean; pause?(): unknown; resume?(): unknown; unpipe?(): unknown };

/** net.Socket's libuv handle (tty.ReadStream is a net.Socket); `reading` is Node's own flag. */
type ReadHandle = { reading?: boolean; readStop?(): number; readStart?(): number };

/**
 * Stops Node reading the terminal (see 2. above) and returns how to start it again. Node has no
 * public call for it (pause() only stops delivery); this is what net.Socket itself does under
 * back-pressure. Restarting by hand matters: the stream may still count a _read() as pending
 * and would then never ask the handle again, leaving the dashboard deaf after the shell.
 */
export function stopReading(stdin: unknown): () => void {
  const h = (stdin as { _handle?: ReadHandle } | undefined)?._handle;
  if (typeof h?.readStop !== 'function' || typeof h.readStart !== 'function') return () => undefined;
  // Unconditionally (readStop on a stopped handle is a no-op): cheaper than trusting the flag.
  h.reading = false;
  h.readStop();
  return () => {
    if (h.reading) return; // the engine resumed the stream itself
    h.reading = true;
    h.readStart?.();
  };
}

const WATCHED = ['data', 'readable', 'end', 'close', 'keypress'] as const;

export async function handOverTerminal<T>(suspend: Suspend, io: ProcessIO, run: (io: ProcessIO) => Promise<T>): Promise<T> {
  type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
  // Set inside the callback; a holder object keeps TypeScript from narrowing it to the initial value.
  const out: { r: Outcome } = { r: { ok: false, error: new Error('terminal handoff did not run') } };
  await suspend(async () => {
    const stdin = io.stdin as TtyIn | undefined;
    const before = new Map(WATCHED.map((ev) => [ev, new Set(stdin?.listeners?.(ev) ?? [])]));
    const wasRaw = stdin?.isRaw ?? false;
    let restartReading = () => undefined as void;
    try {
      if (stdin?.isTTY) {
        // The key that started the handoff is being handled inside Ink's `while (stdin.read())`
        // loop, whose final read() asks the handle to read again: stop it only once that loop
        // has returned, or the handle is back on before the child starts.
        await new Promise<void>((r) => setImmediate(r));
        stdin.pause?.();
        restartReading = stopReading(stdin);
        stdin.setRawMode?.(true);
      }
      // Start the child on a clean screen with a visible cursor, as `docker exec -it` does.
      io.stdout.write('\u001B[2J\u001B[H\u001B[?25h');
      out.r = { ok: true, value: await run(io) };
    } catch (error) {
      out.r = { ok: false, error };
    } finally {
      if (stdin) {
        stdin.unpipe?.();
        for (const ev of WATCHED) {
          for (const l of stdin.listeners?.(ev) ?? []) {
            if (!before.get(ev)?.has(l)) stdin.removeListener(ev, l as (...a: unknown[]) => void);
          }
        }
        stdin.pause?.();
        if (stdin.isTTY) stdin.setRawMode?.(wasRaw);
        restartReading();
      }
    }
  });
  const r = out.r;
  if (!r.ok) throw r.error;
  return r.value;
}
