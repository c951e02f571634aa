/**
 * The embedded engine runs containers with runc, mounts overlayfs and makes cgroups, network
 * namespaces and iptables rules: root's work, and its state root (/var/lib/berth) is root's
 * alone. Until a rootless mode exists, anyone else is told so in one line, before anything on
 * disk is touched, with the ways to reach a daemon instead.
 */
import { EngineError } from './errors.js';

export class RootRequiredError extends EngineError {
  constructor(uid: number) {
    super(
      'unsupported',
      `berth's embedded engine needs root (no rootless mode yet); to use a Docker or Podman daemon instead: ` +
        `berth -H unix:///run/user/${uid}/podman/podman.sock, DOCKER_HOST, or berth context use NAME`,
    );
  }
}

/** Throws RootRequiredError unless this process runs as root. */
export function requireRoot(): void {
  const uid = process.geteuid?.() ?? 0;
  if (uid !== 0) throw new RootRequiredError(uid);
}
