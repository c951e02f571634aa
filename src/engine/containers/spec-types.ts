/**
 * What `create` decided about a container, stored as JSON in its row: the image's defaults
 * merged with the user's options, mounts resolved to host paths, limits converted. Start,
 * inspect and the dashboard read it back; parsed once by `parseContainerSpec`.
 */
import type { HealthConfig, MountPropagation, PortBinding, OciImageConfigBody } from '../api.js';
import { invalid } from '../errors.js';
import { hostSettingsOf, type HostSettings } from './host-settings.js';

export interface ResolvedMount {
  type: 'bind' | 'volume' | 'tmpfs';
  /** Host path (bind, volume's _data dir); '' for tmpfs. */
  source: string;
  target: string;
  readOnly: boolean;
  /** Volume name (type volume). */
  name?: string;
  options?: string[];
  /** A bind's propagation; rprivate when absent. */
  propagation?: MountPropagation;
}

export interface ContainerSpec {
  path: string;
  args: string[];
  entrypoint: string[] | null;
  cmd: string[] | null;
  env: string[];
  workdir: string;
  user: string;
  hostname: string;
  tty: boolean;
  openStdin: boolean;
  autoRemove: boolean;
  restartPolicy: { name: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maximumRetryCount: number };
  labels: Record<string, string>;
  mounts: ResolvedMount[];
  volumesFrom: string[];
  limits: {
    memory: number;
    memorySwap: number;
    nanoCpus: number;
    cpuShares: number;
    pidsLimit: number;
    // absent in rows from before these options
    cpusetCpus?: string;
    cpusetMems?: string;
    cpuPeriod?: number;
    cpuQuota?: number;
    memoryReservation?: number;
    oomKillDisable?: boolean;
    blkioWeight?: number;
    kernelMemory?: number;
  };
  resources: Record<string, unknown>;
  cgroupsPath: string;
  /** 'none' | 'host' | 'bridge' | 'container:<id>' | a network name. */
  networkMode: string;
  ip?: string;
  networkAliases: string[];
  ports: PortBinding[];
  publishAll: boolean;
  exposedPorts: string[];
  extraHosts: string[];
  dns: string[];
  stopSignal: string;
  stopTimeout: number;
  /** The image's config at create time (for inspect's Config). */
  imageConfig: OciImageConfigBody;
  /** Privilege, devices, namespaces, logging … (host-settings.ts). */
  host: HostSettings;
  /** The healthcheck in force: the user's merged over the image's (health.ts); absent = none. */
  healthcheck?: HealthConfig;
}

export function parseContainerSpec(json: string): ContainerSpec {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw invalid('corrupt container record (spec is not JSON)');
  }
  const s = v as ContainerSpec;
  if (!s || typeof s.path !== 'string' || !Array.isArray(s.args) || !Array.isArray(s.mounts)) throw invalid('corrupt container record');
  s.host = hostSettingsOf(s.host as Partial<HostSettings> | undefined);
  return s;
}
