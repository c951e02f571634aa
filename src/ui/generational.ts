/**
 * A memo with a bounded size and no bookkeeping per hit: two generations of `size` entries; an
 * entry not used for a whole generation is dropped. For caches that live across Ink frames,
 * where the keys (texts on screen) change slowly and must not pile up.
 */
export function generational<V>(size: number, compute: (key: string) => V): (key: string) => V {
  let current = new Map<string, V>();
  let previous = new Map<string, V>();
  return (key) => {
    let v = current.get(key);
    if (v !== undefined || current.has(key)) return v as V;
    v = previous.has(key) ? (previous.get(key) as V) : compute(key);
    if (current.size >= size) {
      previous = current;
      current = new Map();
    }
    current.set(key, v);
    return v;
  };
}
