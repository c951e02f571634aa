/**
 * A one-line sparkline as a plain string. Written here rather than taken from
 * @pppp606/ink-chart: its <Sparkline> renders its own Box + Text (extra Yoga nodes per row, where
 * the table keeps each row to one Text), subscribes every instance to terminal resizes, colours
 * with fixed colour names (no NO_COLOR) and has only Unicode glyphs (no ASCII fallback).
 *
 * Buckets are aligned to absolute sample numbers, not to "now": a bucket's glyph only changes
 * while it is the newest one, so after the window shifts the line repaints once per bucket
 * instead of every tick, which keeps the bytes sent over SSH down.
 */
export interface SparkSeries {
  /** Oldest first. */
  values: readonly number[];
  /** Absolute number of the first value (samples taken before it were dropped). */
  start: number;
}

export function sparkline(series: SparkSeries, width: number, perBucket: number, max: number, levels: readonly string[]): string {
  if (width <= 0) return '';
  const { values, start } = series;
  const end = start + values.length; // one past the newest
  const lastBucket = Math.floor(Math.max(end - 1, 0) / perBucket);
  let out = '';
  for (let b = lastBucket - width + 1; b <= lastBucket; b++) {
    let peak = -1;
    for (let n = Math.max(b * perBucket, start); n < Math.min((b + 1) * perBucket, end); n++) {
      const v = values[n - start]!;
      if (v > peak) peak = v;
    }
    if (peak < 0) {
      out += ' ';
      continue;
    }
    const level = Math.round((Math.min(peak, max) / max) * (levels.length - 1));
    out += levels[Math.max(0, level)]!;
  }
  return out;
}
