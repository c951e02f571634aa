/**
 * `-D` / `--log-level`: the engine's log records on stderr, as logrus prints docker's:
 * `DEBU[0001] message` on a terminal, `time="…" level=debug msg="…"` otherwise. While the
 * dashboard owns the terminal, records wait (the last few thousand) and are printed when it
 * gives the terminal back.
 */
import { setLogSink, type LogLevel } from '../engine/index.js';

const MAX_HELD = 2000;
const started = Date.now();
let held: string[] | undefined;

function format(level: LogLevel, message: string, tty: boolean): string {
  if (!tty) return `time="${new Date().toISOString()}" level=${level} msg=${JSON.stringify(message)}\n`;
  const tag = level === 'error' ? 'ERRO' : level.slice(0, 4).toUpperCase();
  return `${tag}[${String(Math.floor((Date.now() - started) / 1000)).padStart(4, '0')}] ${message}\n`;
}

export function logToStderr(level: LogLevel): void {
  setLogSink((l, m) => {
    const line = format(l, m, !!process.stderr.isTTY);
    if (!held) {
      process.stderr.write(line);
      return;
    }
    held.push(line);
    if (held.length > MAX_HELD) held.shift();
  }, level);
}

/** Runs `fn` (the dashboard) with records held back when stderr is its terminal. */
export async function holdLogsWhile<T>(fn: () => Promise<T>): Promise<T> {
  if (!process.stderr.isTTY || held) return fn();
  held = [];
  try {
    return await fn();
  } finally {
    const lines = held;
    held = undefined;
    for (const l of lines) process.stderr.write(l);
  }
}
