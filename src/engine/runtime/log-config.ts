/**
 * --log-driver and --log-opt: which drivers berth has, their options checked with docker's
 * messages, and where a container's log lives.
 *
 *  - k8s-file (berth's default, podman's): conmon writes `<time> <stream> <F|P> <text>` lines.
 *    max-size alone is conmon's --log-size-max (the file starts over when full).
 *  - json-file (docker's): docker's format on disk, one `{"log","stream","time"}` object a line.
 *  - none: nothing is kept; `logs` refuses as docker does.
 *
 * json-file, and max-file > 1 with either format, need something that writes and rotates as
 * the output arrives, also while no berth command runs: conmon writes its k8s-file lines into a
 * FIFO and a small log writer (log-writer.ts) turns them into the files (see log-pump.ts).
 */
import { join } from 'node:path';
import type { LogConfig } from '../api.js';
import { invalid } from '../errors.js';

export type LogDriver = 'k8s-file' | 'json-file' | 'none';
export const DEFAULT_LOG_DRIVER: LogDriver = 'k8s-file';
const DRIVERS: LogDriver[] = ['k8s-file', 'json-file', 'none'];
const OPTS = ['max-size', 'max-file', 'compress'];

/** docker's RAMInBytes ("1k", "10m", "1.5g", "512"; binary multiples). */
export function ramInBytes(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(s);
  if (!m) return undefined;
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 }[(m[2] ?? '').toLowerCase() as '' | 'k'];
  return Math.floor(Number(m[1]) * mult);
}

/** The driver and options as stored (and shown by inspect's HostConfig.LogConfig). */
export function checkLogConfig(c: LogConfig | undefined): LogConfig {
  const type = (c?.type || DEFAULT_LOG_DRIVER) as LogDriver;
  const config = { ...(c?.config ?? {}) };
  if (!DRIVERS.includes(type)) throw invalid(`error looking up logging plugin ${type}: plugin "${type}" not found`);
  if (type === 'none') {
    if (Object.keys(config).length) throw invalid('invalid logging opts for driver none');
    return { type, config };
  }
  for (const k of Object.keys(config)) if (!OPTS.includes(k)) throw invalid(`unknown log opt '${k}' for ${type} log driver`);
  const plan = sizes(config);
  if (config.compress !== undefined) {
    if (!['true', 'false', '1', '0'].includes(config.compress))
      throw invalid(`failed to initialize logging driver: strconv.ParseBool: parsing "${config.compress}": invalid syntax`);
    if (config.compress === 'true' || config.compress === '1') {
      if (plan.maxFile < 2 || !plan.maxSize)
        throw invalid('failed to initialize logging driver: compress cannot be true when max-file is less than 2 or max-size is not set');
      throw invalid('failed to initialize logging driver: compress=true is not supported by berth (rotated files stay uncompressed)');
    }
  }
  return { type, config };
}

function sizes(config: Record<string, string>): { maxSize: number; maxFile: number } {
  let maxSize = 0;
  if (config['max-size'] !== undefined && config['max-size'] !== '-1') {
    const v = ramInBytes(config['max-size']);
    if (v === undefined) throw invalid(`failed to initialize logging driver: invalid size: '${config['max-size']}'`);
    maxSize = v;
  }
  let maxFile = 1;
  if (config['max-file'] !== undefined) {
    if (!/^-?\d+$/.test(config['max-file']))
      throw invalid(`failed to initialize logging driver: strconv.Atoi: parsing "${config['max-file']}": invalid syntax`);
    maxFile = Number(config['max-file']);
    if (maxFile < 1) throw invalid('failed to initialize logging driver: max-file cannot be less than 1');
  }
  return { maxSize, maxFile };
}

/** How a container's output reaches its log, from its stored config. */
export interface LogPlan {
  driver: LogDriver;
  /** The current log file (inspect's LogPath); '' for none. */
  path: string;
  maxSize: number;
  maxFile: number;
  /** The log writer runs (json-file, or rotation across files). */
  writer: boolean;
}

export function logPlan(c: LogConfig, dir: string, id: string): LogPlan {
  const driver = c.type as LogDriver;
  if (driver === 'none') return { driver, path: '', maxSize: 0, maxFile: 1, writer: false };
  const { maxSize, maxFile } = sizes(c.config);
  // docker's json-file name, so tools that look for *-json.log find it
  const path = driver === 'json-file' ? join(dir, `${id}-json.log`) : join(dir, 'ctr.log');
  return { driver, path, maxSize, maxFile, writer: driver === 'json-file' || (maxSize > 0 && maxFile > 1) };
}

/** The files of a log, oldest first: PATH.N … PATH.1, PATH. */
export function logFiles(plan: LogPlan): string[] {
  if (!plan.path) return [];
  const rotated = plan.writer && plan.maxSize > 0 ? Array.from({ length: plan.maxFile - 1 }, (_v, i) => `${plan.path}.${plan.maxFile - 1 - i}`) : [];
  return [...rotated, plan.path];
}
