/**
 * Every dashboard action goes through here: a progress line while it runs, then its result or the
 * engine's error message, then an immediate reload of the lists it touched (events would also
 * reload them, but the user should not wait for the event round trip).
 */
import type { Status } from '../ui/StatusLine.js';
import type { ResourceKind } from './use-resources.js';
import type { HostState } from './hosts.js';
import { withCli } from './action-command.js';

export interface ActionDeps {
  setStatus: (s: Status) => void;
  /** Reloads lists: of `host` only, or of every host on screen. */
  refresh: (kinds?: readonly ResourceKind[], host?: string) => Promise<void>;
  /** The host a row belongs to (undefined: the host on screen), for the CLI line of an action. */
  hostOf?: (host: string | undefined) => Pick<HostState, 'name' | 'label'> | undefined;
}

export async function runAction<T>(
  deps: ActionDeps,
  progress: string,
  fn: () => Promise<T>,
  done: (value: T) => string,
  touches: readonly ResourceKind[],
  /** The host acted on: only its lists are reloaded. */
  host?: string,
  /** The equivalent CLI line, shown after the result (and after an error). */
  cli?: string,
): Promise<boolean> {
  deps.setStatus({ kind: 'progress', text: progress });
  try {
    const value = await fn();
    deps.setStatus({ kind: 'ok', text: withCli(done(value), cli) });
    return true;
  } catch (e) {
    deps.setStatus({ kind: 'error', text: withCli(e instanceof Error ? e.message : String(e), cli) });
    return false;
  } finally {
    await deps.refresh(touches, host);
  }
}
