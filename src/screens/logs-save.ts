/**
 * Saving logs to a file on this machine: every line the engine has for the containers (not only
 * the view's buffer), with the view's since and timestamps, written to a temporary file that is
 * renamed into place, so a failure leaves no half-written file.
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { Engine } from '../engine/api.js';
import { insertByTime, savedText, timeKey, type SourcedLine } from './logs-model.js';

export async function saveLogs(
  engine: Engine,
  ids: readonly string[],
  path: string,
  o: { since: string; timestamps: boolean; prefixes?: readonly string[] },
): Promise<number> {
  const st = await stat(path).catch(() => undefined);
  if (st?.isDirectory()) throw new Error(`${path} is a directory`);
  const dirSt = await stat(dirname(path)).catch(() => undefined);
  if (!dirSt?.isDirectory()) throw new Error(`no such directory: ${dirname(path)}`);
  const lines: SourcedLine[] = [];
  for (const [source, id] of ids.entries()) {
    for await (const l of engine.containers.logs(id, o.since ? { since: o.since } : {})) {
      const line = { ...l, source, key: timeKey(l.time) };
      if (ids.length === 1) lines.push(line);
      else insertByTime(lines, line);
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(savedText(lines, { timestamps: o.timestamps, ...(o.prefixes ? { prefixes: o.prefixes } : {}) }));
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  return lines.length;
}
