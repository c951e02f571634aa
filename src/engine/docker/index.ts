/** The Docker-API backend's public surface. */
export { DockerEngine, type DockerEngineOptions } from './engine.js';
export { type Endpoint, type TlsOptions, parseHost, tlsFromEnv } from './endpoint.js';
export { MAX_API_VERSION } from './client.js';
export { type ContextEntry, type HostChoice, ContextStore, resolveHost } from './contexts.js';
export { type DashboardHostList, dashboardHosts, shortHostName } from './host-list.js';
