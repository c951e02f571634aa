/**
 * The Docker-API backend: the same Engine the embedded one implements, over a daemon reached
 * by unix socket, tcp (TLS) or ssh. Works with Docker and with Podman's compat socket.
 */
import type { BuildOptions, Engine } from '../api.js';
import { DockerClient, MAX_API_VERSION } from './client.js';
import { DockerContainers } from './containers.js';
import { type Endpoint, parseHost, type TlsOptions } from './endpoint.js';
import { DockerImages } from './images.js';
import { DockerNetworks } from './networks.js';
import { DockerSystem } from './system.js';
import { DockerVolumes } from './volumes.js';

export interface DockerEngineOptions {
  /** A host string (unix://, tcp://, ssh://) or an endpoint already parsed. */
  host: string | Endpoint;
  tls?: TlsOptions;
  /** Caps the negotiated API version (tests use it to exercise older daemons' paths). */
  maxApiVersion?: string;
}

export class DockerEngine implements Engine {
  readonly client: DockerClient;
  readonly images: DockerImages;
  readonly containers: DockerContainers;
  readonly volumes: DockerVolumes;
  readonly networks: DockerNetworks;
  readonly system: DockerSystem;

  constructor(opts: DockerEngineOptions) {
    const endpoint = typeof opts.host === 'string' ? parseHost(opts.host, opts.tls) : opts.host;
    this.client = new DockerClient(endpoint, opts.maxApiVersion ?? MAX_API_VERSION);
    this.images = new DockerImages(this.client);
    this.containers = new DockerContainers(this.client, this.images);
    this.volumes = new DockerVolumes(this.client);
    this.networks = new DockerNetworks(this.client);
    this.system = new DockerSystem(this.client);
  }

  /** The daemon's /build with the context sent as a tar (build.ts). */
  async build(opts: BuildOptions): Promise<string> {
    const { buildOnDaemon } = await import('./build.js');
    return buildOnDaemon(this.client, opts);
  }

  /** "docker@unix:///var/run/docker.sock" style label for the dashboard's header. */
  get label(): string {
    return this.client.label;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
