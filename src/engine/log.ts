/**
 * The engine's diagnostics: records at docker's log levels, handed to a sink that an edge
 * installs (the CLI's `-D` / `--log-level` print them on stderr). With no sink a record costs
 * one comparison and is never formatted: the engine itself never prints.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'fatal'];

export type LogSink = (level: LogLevel, message: string) => void;

let sink: LogSink | undefined;
// Index in LOG_LEVELS of the least severe level the sink receives; past the end = none.
let threshold = LOG_LEVELS.length;

export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

/** Sends records at `level` and above to `to`; `undefined` turns logging off. */
export function setLogSink(to: LogSink | undefined, level: LogLevel = 'info'): void {
  sink = to;
  threshold = to ? LOG_LEVELS.indexOf(level) : LOG_LEVELS.length;
}

export function logEnabled(level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= threshold;
}

export function debugEnabled(): boolean {
  return threshold === 0;
}

/** A record; a function message is only called when the record is wanted. */
export function log(level: LogLevel, message: string | (() => string)): void {
  if (!sink || LOG_LEVELS.indexOf(level) < threshold) return;
  sink(level, typeof message === 'function' ? message() : message);
}

export function debug(message: string | (() => string)): void {
  if (threshold === 0) log('debug', message);
}

export function warn(message: string | (() => string)): void {
  log('warn', message);
}
