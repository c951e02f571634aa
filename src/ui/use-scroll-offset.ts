import { useRef } from 'react';

/**
 * First visible row for a window of `height` rows that keeps `selected` in view, moving only
 * when the selection leaves the window (k9s/less behaviour: no re-centring, so scrolling one row
 * repaints only two lines).
 */
export function useScrollOffset(selected: number, count: number, height: number): number {
  const ref = useRef(0);
  let off = ref.current;
  if (selected < off) off = selected;
  if (selected >= off + height) off = selected - height + 1;
  off = Math.max(0, Math.min(off, Math.max(0, count - height)));
  ref.current = off;
  return off;
}
