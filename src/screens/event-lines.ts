/** An engine event as one line of the events view (docker events' words), pure. */
import type { EngineEvent } from '../engine/api.js';
import type { Theme, Token } from '../ui/theme.js';

export interface HostedEvent extends EngineEvent {
  host?: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function clock(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function tone(e: EngineEvent): Token | undefined {
  if (e.action === 'die' && e.attributes?.['exitCode'] !== '0') return 'error';
  if (e.action === 'oom' || e.action.endsWith('unhealthy')) return 'error';
  if (e.action === 'start' || e.action.endsWith(': healthy')) return 'running';
  if (e.action === 'destroy' || e.action === 'delete' || e.action === 'kill' || e.action === 'stop') return 'warning';
  return undefined;
}

/**
 * "12:00:01  container  die  web  exitCode=137"; a network event names the container it
 * concerns (docker gives its id: `nameOf` turns it into the name when the container is known).
 */
export function eventText(e: HostedEvent, nameOf: (id: string) => string | undefined, showHost: boolean): string {
  const a = e.attributes ?? {};
  const name = a['name'] ?? e.id.slice(0, 12);
  const extra: string[] = [];
  if (a['exitCode'] !== undefined) extra.push(`exitCode=${a['exitCode']}`);
  if (a['signal'] !== undefined) extra.push(`signal=${a['signal']}`);
  if (a['container'] !== undefined) extra.push(`container=${nameOf(a['container']) ?? a['container'].slice(0, 12)}`);
  if (e.type === 'container' && a['image'] !== undefined) extra.push(`image=${a['image']}`);
  return [clock(e.time), ...(showHost && e.host ? [e.host] : []), e.type.padEnd(9), e.action.padEnd(7), name, ...extra].join('  ');
}

export function eventLine(e: HostedEvent, text: string, theme: Theme): string {
  const t = tone(e);
  return t ? theme.paint(t, text) : text;
}
