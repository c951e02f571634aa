/** The status line while containers are marked: how many, before whatever the last action said. */
import type { Status } from '../ui/StatusLine.js';

export function markedStatus(status: Status | undefined, count: number): Status | undefined {
  if (!count) return status;
  const prefix = `[${count} marked]`;
  if (status) return { ...status, text: `${prefix} ${status.text}` };
  return { kind: 'info', text: `${prefix} S s r p K d l act on all marked; esc unmarks` };
}
