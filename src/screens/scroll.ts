/** Scroll motions shared by the detail, logs and help views. */
import type { Command } from '../ui/bindings.js';

export function scrollBy(cmd: Command | undefined, offset: number, total: number, height: number): number | undefined {
  const max = Math.max(0, total - height);
  const clamp = (n: number) => Math.max(0, Math.min(max, n));
  switch (cmd) {
    case 'down':
      return clamp(offset + 1);
    case 'up':
      return clamp(offset - 1);
    case 'pageDown':
      return clamp(offset + height);
    case 'pageUp':
      return clamp(offset - height);
    case 'top':
      return 0;
    case 'bottom':
      return max;
    default:
      return undefined;
  }
}
