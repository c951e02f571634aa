/**
 * The run/create options beyond the basics, as `create` decided them and the container's row
 * keeps them (ContainerSpec.host): privilege, devices, namespaces, logging, … Rows written
 * before these options existed have none: `hostSettingsOf` gives them docker's defaults.
 */
import type { LogConfig, Ulimit } from '../api.js';

export interface StoredDevice {
  pathOnHost: string;
  pathInContainer: string;
  cgroupPermissions: string;
}

export interface HostSettings {
  privileged: boolean;
  /** As given (docker's names, any case, with or without CAP_, or ALL). */
  capAdd: string[];
  capDrop: string[];
  /** As given (a seccomp profile inline), for inspect's HostConfig.SecurityOpt. */
  securityOpt: string[];
  noNewPrivileges: boolean;
  /** 'default', 'unconfined', or a profile's JSON text. */
  seccomp: string;
  /** An AppArmor profile name; '' for none. */
  apparmor: string;
  groupAdd: string[];
  readOnly: boolean;
  devices: StoredDevice[];
  ulimits: Ulimit[];
  /** Bytes (docker's default 64 MiB when not given). */
  shmSize: number;
  sysctls: Record<string, string>;
  init: boolean;
  /** 'private' | 'shareable' | 'host' | 'none' | 'container:<id>'. */
  ipcMode: string;
  /** '' | 'host' | 'container:<id>'. */
  pidMode: string;
  utsMode: string;
  /** 'host' | 'private'. */
  cgroupnsMode: string;
  usernsMode: string;
  dnsSearch: string[];
  dnsOptions: string[];
  macAddress: string;
  domainname: string;
  platform: string;
  logConfig: LogConfig;
}

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export function defaultHostSettings(): HostSettings {
  return {
    privileged: false,
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    noNewPrivileges: false,
    seccomp: 'default',
    apparmor: '',
    groupAdd: [],
    readOnly: false,
    devices: [],
    ulimits: [],
    shmSize: DEFAULT_SHM_SIZE,
    sysctls: {},
    init: false,
    ipcMode: 'private',
    pidMode: '',
    utsMode: '',
    cgroupnsMode: 'host',
    usernsMode: '',
    dnsSearch: [],
    dnsOptions: [],
    macAddress: '',
    domainname: '',
    platform: '',
    logConfig: { type: 'k8s-file', config: {} },
  };
}

/**
 * The stored settings with defaults for fields an older row lacks. A row from before these
 * options keeps running as it was made: without a seccomp profile.
 */
export function hostSettingsOf(stored: Partial<HostSettings> | undefined): HostSettings {
  if (!stored) return { ...defaultHostSettings(), seccomp: 'unconfined' };
  return { ...defaultHostSettings(), ...stored };
}
