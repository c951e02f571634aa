/**
 * The engine's public surface for the CLI, the dashboard and the API server (with api.ts, the
 * types): small modules re-exported as they are, and the engines themselves behind async
 * openers, so that a command loads only the backend it uses (the bundle keeps each lazy).
 */
import type { Engine } from './api.js';
import type { DockerEngineOptions } from './docker/engine.js';
import type { EmbeddedOptions } from './embedded.js';
import type { HostSpec } from './hosts/host-pool.js';

export * from './api.js';
export { EngineError, isEngineError, notFound, invalid, conflict, type ErrorKind } from './errors.js';
export { debug, debugEnabled, isLogLevel, setLogSink, type LogLevel } from './log.js';
export { trace } from './trace.js';
export { requireRoot, RootRequiredError } from './root-required.js';
// docker's flag vocabularies the CLI checks before it calls the engine
export { ULIMIT_NAMES } from './runtime/ulimits.js';
export { checkEndpointRequest } from './networks/endpoint-request.js';
export { isIpcSysctl } from './runtime/sysctls.js';
export { API_VERSION, berthVersion } from './version.js';
export { enginePaths } from './paths.js';
export { canonical, familiar, isNameOnly, parseReference } from './image/reference.js';
export { ociArch } from './image/oci.js';
export { humanDuration } from './human-time.js';
export { parseTimeArg, parseGoDuration } from './runtime/time-arg.js';
export { parseHost, type TlsOptions } from './docker/endpoint.js';
export type { EmbeddedOptions, DockerEngineOptions, HostSpec };
export type { HostPool, HostStatus } from './hosts/host-pool.js';

/** berth's own engine on this host (needs root). */
export async function openEmbedded(opts: EmbeddedOptions = {}): Promise<Engine> {
  const { EmbeddedEngine } = await import('./embedded.js');
  return new EmbeddedEngine(opts);
}

/** A Docker-API daemon (unix://, tcp:// with TLS, ssh://). */
export async function openDocker(opts: DockerEngineOptions): Promise<Engine> {
  const { DockerEngine } = await import('./docker/engine.js');
  return new DockerEngine(opts);
}

/** Several hosts at once (the dashboard's host switcher). */
export async function openHostPool(
  ...args: ConstructorParameters<typeof import('./hosts/host-pool.js').HostPool>
): Promise<import('./hosts/host-pool.js').HostPool> {
  const { HostPool } = await import('./hosts/host-pool.js');
  return new HostPool(...args);
}

/** Loads the embedded engine's modules ahead of opening it (a caller racing a removal). */
export async function preloadEmbedded(): Promise<void> {
  await import('./embedded.js');
}

/** The hosts the dashboard shows (embedded, contexts, -H), loaded when the dashboard opens. */
export const loadHostList = () => import('./docker/host-list.js');
