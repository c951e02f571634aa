/**
 * Pull/push progress as docker shows it: on a terminal one line per layer, redrawn in place
 * with a bar (`a1b2c3d4e5f6: Downloading [=====>     ]  1.2MB/3.4MB`); elsewhere one plain
 * line per change of status (byte counts are not repeated).
 */
import type { ProgressEvent, ProgressFn } from '../../engine/api.js';

function human(n: number): string {
  const u = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : 1)}${u[i]}`;
}

function bar(cur: number, total: number, width = 50): string {
  const f = Math.max(0, Math.min(width, Math.floor((cur / total) * width)));
  return `[${'='.repeat(Math.max(0, f - 1))}${f > 0 ? '>' : ''}${' '.repeat(width - f)}] ${human(cur).padStart(7)}/${human(total)}`;
}

export interface ProgressPrinter {
  fn: ProgressFn;
  done(): void;
}

export function progressPrinter(out: NodeJS.WriteStream, opts: { quiet?: boolean } = {}): ProgressPrinter {
  if (opts.quiet) return { fn: () => undefined, done: () => undefined };
  const tty = !!out.isTTY && !process.env.NO_COLOR_PROGRESS;
  if (!tty) {
    const last = new Map<string, string>();
    return {
      fn: (e: ProgressEvent) => {
        if (e.id === '') {
          out.write(`${e.status}\n`);
          return;
        }
        if (last.get(e.id) === e.status) return;
        last.set(e.id, e.status);
        out.write(`${e.id}: ${e.status}\n`);
      },
      done: () => undefined,
    };
  }
  const order: string[] = [];
  const lines = new Map<string, string>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    let s = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const id of order) s += `\x1b[2K${lines.get(id)}\n`;
    drawn = order.length;
    out.write(s);
  };
  return {
    fn: (e: ProgressEvent) => {
      if (e.id === '') {
        if (timer) draw();
        out.write(`${e.status}\n`);
        drawn = 0;
        order.length = 0;
        return;
      }
      if (!lines.has(e.id)) order.push(e.id);
      lines.set(e.id, `${e.id}: ${e.status}${e.current !== undefined && e.total ? ` ${bar(e.current, e.total)}` : ''}`);
      timer ??= setTimeout(draw, 100);
    },
    done: () => {
      if (timer) {
        clearTimeout(timer);
        draw();
      }
    },
  };
}
