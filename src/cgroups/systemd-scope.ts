/**
 * A program in a transient systemd scope of its own (`systemd-run --scope`, which registers its
 * own PID as the scope and then execs the program in place: same PID, same fds, same env).
 * Under the systemd driver conmon runs this way, as podman puts it in libpod-conmon-<id>.scope:
 * left in the cgroup of whoever ran berth, it is killed when that unit stops (measured in the
 * VM test: `berth run -d` from a service lost its monitor, and the service hung 90 s in stop).
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_SLICE, SCOPE_PREFIX } from './paths.js';

/**
 * The monitor's scope: unique per start, because a restart (the exit command, which runs in the
 * old scope) starts the next monitor while the old scope still exists.
 */
export function monitorScopeUnit(id: string): string {
  return `${SCOPE_PREFIX}-conmon-${id}-${randomBytes(4).toString('hex')}.scope`;
}

export function inScope(argv: string[], o: { unit: string; slice?: string; description?: string }): string[] {
  return [
    'systemd-run',
    '--scope',
    '--quiet',
    // Removed once its processes are gone, also when one of them failed.
    '--collect',
    `--slice=${o.slice ?? DEFAULT_SLICE}`,
    `--unit=${o.unit}`,
    ...(o.description ? [`--description=${o.description}`] : []),
    '--',
    ...argv,
  ];
}
