/**
 * Streams a container's logs (the last `tail` lines, then following) into a bounded buffer.
 * Lines arrive in bursts; React state is bumped at most every `flushMs`, so a chatty container
 * costs one render per flush, not one per line.
 */
import { useEffect, useRef, useState } from 'react';
import type { Engine, LogLine } from '../engine/api.js';

const MAX_LINES = 5000;

export function useLogFollow(engine: Engine, id: string, tail = 500, flushMs = 100): { lines: readonly LogLine[]; version: number; error?: string } {
  const buf = useRef<LogLine[]>([]);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const ac = new AbortController();
    buf.current = [];
    let timer: NodeJS.Timeout | undefined;
    const bump = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        if (!ac.signal.aborted) setVersion((v) => v + 1);
      }, flushMs);
    };
    void (async () => {
      try {
        for await (const l of engine.containers.logs(id, { follow: true, tail }, ac.signal)) {
          buf.current.push(l);
          if (buf.current.length > MAX_LINES) buf.current.splice(0, buf.current.length - MAX_LINES);
          bump();
        }
        bump();
      } catch (e) {
        if (!ac.signal.aborted) setError((e as Error).message);
      }
    })();
    return () => {
      ac.abort();
      if (timer) clearTimeout(timer);
    };
  }, [engine, id, tail, flushMs]);
  return { lines: buf.current, version, error };
}
