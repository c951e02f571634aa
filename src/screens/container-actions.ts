/**
 * What each container key does: which ask first, what they call, what the status line says.
 * Kept apart from the components so the confirmation rules read as one table.
 */
import type { ContainerSummary, Engine, NetworkSummary, ProcessIO } from '../engine/api.js';
import type { Command } from '../ui/bindings.js';
import { bytes, shortId } from '../ui/format.js';
import type { Overlay } from './overlay.js';
import { runAction, type ActionDeps } from './run-action.js';
import { containerName } from './containers-view.js';
import { handOverTerminal, type Suspend } from './terminal-handoff.js';
import type { Hosted } from './hosts.js';
import { cliLine, withCli, type CliAction } from './action-command.js';
import { limitsFields, parseLimits } from './limits-form.js';

export interface ContainerActionDeps extends ActionDeps {
  /**
   * The engine of a row's host (undefined host: the host on screen, when there is one), or
   * undefined when that host is not connected.
   */
  engineFor: (host: string | undefined) => Engine | undefined;
  /** " on HOST" in the all-hosts view (so questions and results say where), else ''. */
  where: (host: string | undefined) => string;
  networks: readonly Hosted<NetworkSummary>[];
  openOverlay: (o: Overlay) => void;
  openLogs: (c: ContainerSummary) => void;
  suspend: Suspend;
  io: ProcessIO;
  /** Brackets a terminal handoff (stats pause meanwhile). */
  setHandoff: (on: boolean) => void;
}

const ALL = ['containers', 'images', 'networks', 'volumes'] as const;

/** A valid "repository[:tag]" as docker accepts it (lower-case path components, optional tag). */
export function isValidReference(ref: string): boolean {
  return /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/.test(ref);
}

/** Networks a container can join: not joined yet, and not host/none (those are modes, not networks). */
export function connectable(c: ContainerSummary, networks: readonly NetworkSummary[]): NetworkSummary[] {
  return networks.filter((n) => !c.networks.includes(n.name) && n.driver !== 'host' && n.driver !== 'null');
}

/** The engine for an action on `host`, or undefined after saying why there is none. */
export function engineOrSay(d: Pick<ContainerActionDeps, 'engineFor' | 'setStatus'>, host: string | undefined, what: string): Engine | undefined {
  const e = d.engineFor(host);
  if (!e) d.setStatus({ kind: 'error', text: host ? `${host} is not connected: cannot ${what}` : `pick a host first (H) to ${what}` });
  return e;
}

export function containerAction(cmd: Command, c: ContainerSummary & { readonly host?: string }, d: ContainerActionDeps): boolean {
  const name = containerName(c);
  const host = c.host;
  const on = d.where(host);
  const engine = engineOrSay(d, host, cmd);
  if (!engine) return true;
  const ask = (message: string, go: () => void) => d.openOverlay({ kind: 'confirm', message, onYes: go });
  const running = c.state === 'running' || c.state === 'paused';
  const cli = (a: CliAction) => cliLine(a, d.hostOf?.(host));
  const handoff = async (label: string, fn: (io: ProcessIO) => Promise<number | 'detached'>, line: string) => {
    d.setHandoff(true);
    try {
      const r = await handOverTerminal(d.suspend, d.io, fn);
      d.setStatus({ kind: 'ok', text: withCli(r === 'detached' ? `Detached from ${name}` : `${label} in ${name} exited with code ${r}`, line) });
    } catch (e) {
      d.setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      d.setHandoff(false);
      void d.refresh(['containers'], host);
    }
  };
  switch (cmd) {
    case 'start':
      void runAction(
        d,
        `Starting ${name}`,
        () => engine.containers.start(c.id),
        () => `Started ${name}`,
        ['containers'],
        host,
        cli({ kind: 'start', names: [name] }),
      );
      return true;
    case 'stop':
      ask(
        `Stop container ${name}${on}?`,
        () =>
          void runAction(
            d,
            `Stopping ${name}`,
            () => engine.containers.stop(c.id),
            () => `Stopped ${name}`,
            ['containers'],
            host,
            cli({ kind: 'stop', names: [name] }),
          ),
      );
      return true;
    case 'restart':
      ask(
        `Restart container ${name}${on}?`,
        () =>
          void runAction(
            d,
            `Restarting ${name}`,
            () => engine.containers.restart(c.id),
            () => `Restarted ${name}`,
            ['containers'],
            host,
            cli({ kind: 'restart', names: [name] }),
          ),
      );
      return true;
    case 'pause':
      if (c.state === 'paused')
        void runAction(
          d,
          `Unpausing ${name}`,
          () => engine.containers.unpause(c.id),
          () => `Unpaused ${name}`,
          ['containers'],
          host,
          cli({ kind: 'unpause', names: [name] }),
        );
      else
        void runAction(
          d,
          `Pausing ${name}`,
          () => engine.containers.pause(c.id),
          () => `Paused ${name}`,
          ['containers'],
          host,
          cli({ kind: 'pause', names: [name] }),
        );
      return true;
    case 'kill':
      ask(
        `Kill container ${name}${on} (SIGKILL)?`,
        () =>
          void runAction(
            d,
            `Killing ${name}`,
            () => engine.containers.kill(c.id, 'SIGKILL'),
            () => `Killed ${name}`,
            ['containers'],
            host,
            cli({ kind: 'kill', names: [name] }),
          ),
      );
      return true;
    case 'remove':
      ask(
        running ? `Remove container ${name}${on}? It is ${c.state}: it will be killed first.` : `Remove container ${name}${on}?`,
        () =>
          void runAction(
            d,
            `Removing ${name}`,
            () => engine.containers.remove(c.id, { force: running }),
            () => `Removed ${name}`,
            ALL,
            host,
            cli({ kind: 'remove', names: [name], force: running }),
          ),
      );
      return true;
    case 'prune':
      ask(
        `Remove all stopped containers${on}?`,
        () =>
          void runAction(
            d,
            'Pruning containers',
            () => engine.containers.prune(),
            (r) => `Removed ${r.deleted.length} containers, reclaimed ${bytes(r.spaceReclaimed)}`,
            ALL,
            host,
            cli({ kind: 'containerPrune' }),
          ),
      );
      return true;
    case 'commit':
      d.openOverlay({
        kind: 'form',
        title: `Commit ${name} to a new image`,
        fields: [{ id: 'ref', label: 'repository:tag', placeholder: `${name}:latest` }],
        onSubmit: (v) => {
          const ref = (v['ref'] ?? '').trim() || `${name}:latest`;
          if (!isValidReference(ref)) return `not a valid repository:tag: ${ref}`;
          void runAction(
            d,
            `Committing ${name} as ${ref}`,
            () => engine.containers.commit(c.id, { reference: ref }),
            (id) => `Committed ${name} as ${ref} (${shortId(id)})`,
            ['images'],
            host,
            cli({ kind: 'commit', name, ref }),
          );
          return undefined;
        },
      });
      return true;
    case 'connect': {
      const options = connectable(
        c,
        d.networks.filter((n) => n.host === host || host === undefined),
      ).map((n) => ({ value: n.name, label: `${n.name}  ${n.ipam[0]?.subnet ?? ''}` }));
      if (!options.length) d.setStatus({ kind: 'info', text: `${name} is already on every network` });
      else
        d.openOverlay({
          kind: 'picker',
          title: `Connect ${name} to`,
          options,
          onPick: (net) =>
            void runAction(
              d,
              `Connecting ${name} to ${net}`,
              () => engine.networks.connect(net, c.id),
              () => `Connected ${name} to ${net}`,
              ['containers', 'networks'],
              host,
              cli({ kind: 'connect', network: net, name }),
            ),
        });
      return true;
    }
    case 'disconnect': {
      const options = c.networks.map((n) => ({ value: n, label: n }));
      if (!options.length) d.setStatus({ kind: 'info', text: `${name} is on no network` });
      else
        d.openOverlay({
          kind: 'picker',
          title: `Disconnect ${name} from`,
          options,
          onPick: (net) =>
            void runAction(
              d,
              `Disconnecting ${name} from ${net}`,
              () => engine.networks.disconnect(net, c.id),
              () => `Disconnected ${name} from ${net}`,
              ['containers', 'networks'],
              host,
              cli({ kind: 'disconnect', network: net, name }),
            ),
        });
      return true;
    }
    case 'shell':
      if (c.state !== 'running') d.setStatus({ kind: 'error', text: `${name} is not running` });
      else void handoff('shell', (io) => engine.containers.exec(c.id, { cmd: ['/bin/sh'], tty: true, interactive: true }, io), cli({ kind: 'shell', name }));
      return true;
    case 'attach':
      if (c.state !== 'running') d.setStatus({ kind: 'error', text: `${name} is not running` });
      else
        void handoff(
          'attach',
          (io) => engine.containers.attach(c.id, io, { detachKeys: 'ctrl-p,ctrl-q', stdin: true }),
          cli({ kind: 'attach', names: [name] }),
        );
      return true;
    case 'logs':
      d.openLogs(c);
      return true;
    case 'update':
      if (c.state !== 'running') d.setStatus({ kind: 'error', text: `${name} is not running: live limits apply to a running container` });
      else
        void engine.containers.inspect(c.id).then(
          (ins) => {
            const fields = limitsFields(ins);
            d.openOverlay({
              kind: 'form',
              title: `Live limits of ${name}${on} (applied in place)`,
              fields,
              onSubmit: (v) => {
                const r = parseLimits(v, fields);
                if ('error' in r) return r.error;
                void runAction(
                  d,
                  `Updating ${name}`,
                  () => engine.containers.update(c.id, r.opts),
                  (w) => `Updated ${name}${w.warnings.length ? ` (${w.warnings.join('; ')})` : ''}`,
                  ['containers'],
                  host,
                  cli({ kind: 'update', name, flags: r.flags }),
                );
                return undefined;
              },
            });
          },
          (e: unknown) => d.setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) }),
        );
      return true;
    default:
      return false;
  }
}
