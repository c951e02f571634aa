/** Pull progress as lines, pure: the engine's progress events folded into one row per layer. */
import type { ProgressEvent } from '../engine/api.js';
import type { Theme } from '../ui/theme.js';
import type { Glyphs } from '../ui/glyphs.js';
import { bytes } from '../ui/format.js';

export interface LayerState {
  id: string;
  status: string;
  current?: number;
  total?: number;
}

export interface PullState {
  ref: string;
  layers: LayerState[];
  /** Whole-operation messages (id ''), the last few. */
  messages: string[];
  done?: { id: string } | { error: string };
}

export function startPull(ref: string): PullState {
  return { ref, layers: [], messages: [] };
}

/** A new state with `e` applied (layers keep their first-seen order, as docker prints them). */
export function applyProgress(s: PullState, e: ProgressEvent): PullState {
  if (!e.id) return { ...s, messages: [...s.messages.slice(-3), e.status] };
  const layers = [...s.layers];
  const i = layers.findIndex((l) => l.id === e.id);
  const next: LayerState = {
    id: e.id,
    status: e.status,
    ...(e.current !== undefined ? { current: e.current } : {}),
    ...(e.total !== undefined ? { total: e.total } : {}),
  };
  // "Pull complete" and friends come without figures: keep the last ones for the bar.
  if (i >= 0 && e.current === undefined) {
    const old = layers[i]!;
    if (old.total !== undefined) {
      next.total = old.total;
      next.current = /complete|already exists/i.test(e.status) ? old.total : old.current;
    }
  }
  if (i >= 0) layers[i] = next;
  else layers.push(next);
  return { ...s, layers };
}

export function progressBar(current: number, total: number, width: number, glyphs: Glyphs): string {
  const frac = total > 0 ? Math.max(0, Math.min(1, current / total)) : 0;
  const full = Math.round(frac * width);
  const [on, off] = glyphs.unicode ? ['█', '░'] : ['#', '-'];
  return `[${on.repeat(full)}${off.repeat(width - full)}]`;
}

/** `cli`: the berth command line that does the same, shown after the result. */
export function pullLines(s: PullState, width: number, theme: Theme, glyphs: Glyphs, cli = `berth pull ${s.ref}`): string[] {
  const barW = Math.max(10, Math.min(30, width - 50));
  const out = [theme.paint('title', `Pulling ${s.ref}`), ''];
  for (const l of s.layers) {
    const figures = l.total ? `${progressBar(l.current ?? 0, l.total, barW, glyphs)} ${bytes(l.current ?? 0)}/${bytes(l.total)}` : '';
    out.push(`${l.id.padEnd(12)}  ${l.status.padEnd(18)} ${figures}`);
  }
  if (s.messages.length) out.push('', ...s.messages.map((m) => theme.paint('muted', m)));
  if (s.done) {
    out.push('');
    out.push(
      'error' in s.done
        ? theme.paint('error', `Error: ${s.done.error}`)
        : theme.paint('success', `Pulled ${s.ref} (${s.done.id.replace(/^sha256:/, '').slice(0, 12)})  $ ${cli}`),
    );
  }
  return out;
}
