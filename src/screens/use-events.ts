/**
 * Follows the engine events of the hosts on screen while the events view is open (nothing when
 * it is closed: no steady cost), replaying from `since` (the dashboard's start) where the engine
 * keeps history. Bounded buffer; one render per burst.
 */
import { useEffect, useRef, useState } from 'react';
import type { HostSource } from './use-resources.js';
import type { HostedEvent } from './event-lines.js';

const MAX_EVENTS = 2000;

export function useEvents(sources: readonly HostSource[], since: number, flushMs = 100): { events: readonly HostedEvent[]; version: number; errors: string[] } {
  const buf = useRef<HostedEvent[]>([]);
  const [version, setVersion] = useState(0);
  const [errors, setErrors] = useState<string[]>([]);
  const key = sources.map((s) => s.host).join('\u0000');
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
    for (const s of sources) {
      void (async () => {
        try {
          for await (const e of s.engine.system.events(ac.signal, { since })) {
            const b = buf.current;
            const h: HostedEvent = { ...e, host: s.host };
            // Hosts' streams interleave: keep the buffer in time order.
            let i = b.length;
            while (i > 0 && b[i - 1]!.time > h.time) i--;
            b.splice(i, 0, h);
            if (b.length > MAX_EVENTS) b.splice(0, b.length - MAX_EVENTS);
            bump();
          }
        } catch (err) {
          if (!ac.signal.aborted) setErrors((x) => [...x, `${s.host}: ${(err as Error).message}`]);
        }
      })();
    }
    return () => {
      ac.abort();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the hosts, by name
  }, [key, since, flushMs]);
  return { events: buf.current, version, errors };
}
