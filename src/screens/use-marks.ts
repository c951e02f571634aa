/**
 * Marked containers (space), by row key (host/id), so marks survive refreshes and re-sorts. A
 * mark whose container is gone is dropped: `marked` only ever holds keys of rows that exist.
 */
import { useCallback, useMemo, useState } from 'react';

export interface Marks {
  /** Keys of marked rows that still exist. */
  marked: ReadonlySet<string>;
  toggle: (key: string) => void;
  /** Marks all of `keys` (or, when every one of them is marked already, unmarks them). */
  toggleAll: (keys: readonly string[]) => void;
  clear: () => void;
}

const EMPTY: ReadonlySet<string> = new Set();

export function useMarks(existing: readonly string[]): Marks {
  const [stored, setStored] = useState<ReadonlySet<string>>(EMPTY);
  const marked = useMemo(() => {
    if (!stored.size) return EMPTY;
    const alive = new Set(existing);
    const kept = [...stored].filter((k) => alive.has(k));
    return kept.length === stored.size ? stored : new Set(kept);
  }, [stored, existing]);
  // Stored keys of containers that went are forgotten the next time marks change: a new
  // container never inherits a mark (ids are not reused).
  const toggle = useCallback(
    (key: string) =>
      setStored((s) => {
        const n = new Set(s);
        if (n.has(key)) n.delete(key);
        else n.add(key);
        return n;
      }),
    [],
  );
  const toggleAll = useCallback(
    (keys: readonly string[]) =>
      setStored((s) => {
        const n = new Set(s);
        if (keys.every((k) => n.has(k))) for (const k of keys) n.delete(k);
        else for (const k of keys) n.add(k);
        return n;
      }),
    [],
  );
  const clear = useCallback(() => setStored(EMPTY), []);
  return { marked, toggle, toggleAll, clear };
}
