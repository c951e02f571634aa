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
 *  3. Afterwards we drop whatever listeners the engine left on stdin (a leftover 'data' listener
 *     would eat keys meant for the dashboard), pause the stream and restore cooked mode; resuming
 *     Ink re-enters the alternate screen, re-arms raw mode and forces a full redraw.
 * The finally blocks run on errors too, so a failed exec still comes back to a working dashboard.
 */
import type { ProcessIO } from '../engine/api.js';

export type Suspend = (callback: () => Promise<void>) => Promise<void>;

type TtyIn = NonNullable<ProcessIO['stdin']> & { isRaw?: boolean; pause?(): unknown; resume?(): unknown; unpipe?(): unknown };

const WATCHED = ['data', 'readable', 'end', 'close', 'keypress'] as const;

export async function handOverTerminal<T>(suspend: Suspend, io: ProcessIO, run: (io: ProcessIO) => Promise<T>): Promise<T> {
  type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
  // Set inside the callback; a holder object keeps TypeScript from narrowing it to the initial value.
  const out: { r: Outcome } = { r: { ok: false, error: new Error('terminal handoff did not run') } };
  await suspend(async () => {
    const stdin = io.stdin as TtyIn | undefined;
    const before = new Map(WATCHED.map((ev) => [ev, new Set(stdin?.listeners?.(ev) ?? [])]));
    const wasRaw = stdin?.isRaw ?? false;
    try {
      if (stdin?.isTTY) stdin.setRawMode?.(true);
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
      }
    }
  });
  const r = out.r;
  if (!r.ok) throw r.error;
  return r.value;
}
