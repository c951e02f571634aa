/**
 * Streams the logs of one or more containers (the last `tail` lines of each, then following)
 * into one bounded buffer in time order (the engine's timestamps). Lines arrive in bursts;
 * React state is bumped at most every `flushMs`, so a chatty container costs one render per
 * flush, not one per line. Changing `since` restarts the streams.
 */
import { useEffect, useRef, useState } from 'react';
import type { Engine } from '../engine/api.js';
import { insertByTime, timeKey, type SourcedLine } from './logs-model.js';

const MAX_LINES = 5000;

export function useLogFollow(
  engine: Engine,
  ids: readonly string[],
  opts: { tail?: number; since?: string; flushMs?: number } = {},
): { lines: readonly SourcedLine[]; version: number; error?: string } {
  const { tail = 500, since = '', flushMs = 100 } = opts;
  const buf = useRef<SourcedLine[]>([]);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const idsKey = ids.join(',');
  useEffect(() => {
    const ac = new AbortController();
    buf.current = [];
    setError(undefined);
    setVersion((v) => v + 1);
    let timer: NodeJS.Timeout | undefined;
    const bump = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        if (!ac.signal.aborted) setVersion((v) => v + 1);
      }, flushMs);
    };
    const list = idsKey.split(',');
    for (const [source, id] of list.entries()) {
      void (async () => {
        try {
          for await (const l of engine.containers.logs(id, { follow: true, tail, ...(since ? { since } : {}) }, ac.signal)) {
            const line: SourcedLine = { ...l, source, key: timeKey(l.time) };
            if (list.length === 1) buf.current.push(line);
            else insertByTime(buf.current, line);
            if (buf.current.length > MAX_LINES) buf.current.splice(0, buf.current.length - MAX_LINES);
            bump();
          }
          bump();
        } catch (e) {
          if (!ac.signal.aborted) setError((e as Error).message);
        }
      })();
    }
    return () => {
      ac.abort();
      if (timer) clearTimeout(timer);
    };
  }, [engine, idsKey, tail, since, flushMs]);
  return { lines: buf.current, version, error };
}
