/**
 * Timers behind an interface so the benchmark (and tests) can drive ticks by hand instead of
 * waiting on wall-clock intervals.
 */
export interface Clock {
  every(ms: number, fn: () => void): () => void;
}

export const realClock: Clock = {
  every(ms, fn) {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  },
};

/** A clock whose intervals all fire when `tick()` is called. */
export function manualClock(): Clock & { tick(): void } {
  const fns = new Set<() => void>();
  return {
    every(_ms, fn) {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    tick() {
      for (const f of [...fns]) f();
    },
  };
}
