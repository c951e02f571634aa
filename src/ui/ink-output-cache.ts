/**
 * Makes Ink's string-width cache outlive a frame.
 *
 * Ink 8 measures every cell of every frame with string-width (for a non-ASCII character that
 * means grapheme segmentation and an emoji regex). It caches the widths — but in an object
 * created with each frame's `Output`, so the cache starts empty every frame. Profiled on a
 * steady-state tick, string-width was ~10 % of the CPU; shared between frames, the widths of
 * the few distinct characters and lines on screen are a Map lookup.
 *
 * Only the widths (numbers): sharing Ink's styled-cell cache too cut a tick of an 80x24 screen by
 * ~30 % more, but those are an object per character, and keeping them across frames raised the
 * RSS with 500 busy containers from ~150 to ~200 MB (issue 5's budget is 150 MB).
 *
 * Ink does not export Output (ink-patches reaches it by file); this patches the prototype of its
 * cache object. Any change of shape in a future Ink makes it a no-op (feature-detected), never an
 * error: rendering is the same either way, only slower.
 */
import { generational } from './generational.js';

type CacheProto = {
  getStringWidth?: (text: string) => number;
  __berthShared?: boolean;
};

/** Entries per generation; an entry not used for a whole generation is dropped. */
const WIDTH_GENERATION = 4096;

/** Installs the shared cache on Ink's Output class (see ink-patches); returns whether it could. */
export function shareWidthCache(Output: new (o: { width: number; height: number }) => { caches?: object }): boolean {
  const caches = new Output({ width: 1, height: 1 }).caches;
  const proto = caches ? (Object.getPrototypeOf(caches) as CacheProto) : undefined;
  if (!proto || typeof proto.getStringWidth !== 'function') return false;
  if (proto.__berthShared) return true;
  const width = proto.getStringWidth;
  // The original uses `this` only for its own per-frame map, which the shared cache replaces:
  // it computes through a stand-in whose map remembers nothing.
  const forget = { get: () => undefined, set: () => undefined };
  const scratch = { widths: forget };
  const shared = generational(WIDTH_GENERATION, (text) => width.call(scratch, text));
  proto.getStringWidth = (text: string) => shared(text);
  proto.__berthShared = true;
  return true;
}
