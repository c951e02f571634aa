/**
 * `create`'s checks of the run options beyond the basics (security, devices, ulimits, sysctls,
 * namespaces, logging, …) and their stored form. Every refusal happens here, before anything
 * is made, with docker's message; what docker only warns about comes back as warnings.
 */
import { readFileSync } from 'node:fs';
import type { ContainerCreateOptions } from '../api.js';
import { invalid } from '../errors.js';
import { checkGrantable, normalizeCaps } from '../runtime/capabilities.js';
import { devicesFromPath, validDeviceMode } from '../runtime/devices.js';
import { findInit } from '../runtime/init-binary.js';
import { checkLogConfig } from '../runtime/log-config.js';
import { checkCgroupnsMode, checkIpcMode, checkPidMode, checkUsernsMode, checkUtsMode } from '../runtime/namespaces.js';
import { parseSeccompProfile } from '../runtime/seccomp.js';
import { checkSysctls } from '../runtime/sysctls.js';
import { ulimitWarning, toRlimits } from '../runtime/ulimits.js';
import { DEFAULT_SHM_SIZE, type HostSettings, type StoredDevice } from './host-settings.js';

export interface HostOptionDeps {
  /** A container by name or id (docker's "No such container" when missing). */
  findContainer(ref: string): { id: string };
  cgroupVersion: 1 | 2;
  /** The container's network mode, as create settled it. */
  networkMode: string;
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function apparmorEnabled(): boolean {
  try {
    return readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').trim() === 'Y';
  } catch {
    return false;
  }
}

function apparmorLoaded(profile: string): boolean {
  if (profile === 'unconfined') return true;
  try {
    return readFileSync('/sys/kernel/security/apparmor/profiles', 'utf8')
      .split('\n')
      .some((l) => l.split(' (')[0] === profile);
  } catch {
    return false;
  }
}

function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** docker's security options (dockerd's parseSecurityOpt) into what the container runs with. */
function securityOpts(list: string[]): Pick<HostSettings, 'noNewPrivileges' | 'seccomp' | 'apparmor'> {
  const out = { noNewPrivileges: false, seccomp: 'default', apparmor: '' };
  for (const opt of list) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : '';
    if (!sep) {
      if (opt === 'disable') throw invalid('--security-opt label=disable: SELinux labels are not supported by berth (it applies no SELinux labels at all)');
      throw invalid(`invalid --security-opt 1: "${opt}"`);
    }
    const key = opt.slice(0, opt.indexOf(sep));
    const value = opt.slice(opt.indexOf(sep) + 1);
    switch (key) {
      case 'no-new-privileges': {
        const b = parseBool(value);
        if (b === undefined) throw invalid(`invalid --security-opt 2: "${opt}"`);
        out.noNewPrivileges = b;
        break;
      }
      case 'seccomp':
        if (value !== 'unconfined') parseSeccompProfile(value); // refused here when it is not a profile
        out.seccomp = value;
        break;
      case 'apparmor':
        if (!apparmorEnabled()) throw invalid(`--security-opt apparmor=${value}: AppArmor is not enabled on this host, so no AppArmor profile can be applied`);
        if (!apparmorLoaded(value)) throw invalid(`--security-opt apparmor=${value}: no AppArmor profile "${value}" is loaded on this host`);
        out.apparmor = value;
        break;
      case 'label':
        throw invalid(`--security-opt label=${value}: SELinux labels are not supported by berth (it applies no SELinux labels at all)`);
      default:
        throw invalid(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return out;
}

/** "container:<name|id>" → "container:<id>", as dockerd stores it. */
function resolveRef(mode: string, deps: HostOptionDeps): string {
  return mode.startsWith('container:') ? `container:${deps.findContainer(mode.slice('container:'.length)).id}` : mode;
}

export function resolveHostOptions(o: ContainerCreateOptions, deps: HostOptionDeps): { host: HostSettings; warnings: string[] } {
  const warnings: string[] = [];
  // kept as given (docker's inspect shows them so); normalised where they are used
  const capAdd = [...(o.capAdd ?? [])];
  const capDrop = [...(o.capDrop ?? [])];
  normalizeCaps(capDrop, 'CapDrop');
  if (!o.privileged) checkGrantable(capAdd);
  else normalizeCaps(capAdd, 'CapAdd');
  const securityOpt = [...(o.securityOpt ?? [])];
  const sec = securityOpts(securityOpt);

  const devices: StoredDevice[] = (o.devices ?? []).map((d) => {
    const m = { pathOnHost: d.pathOnHost, pathInContainer: d.pathInContainer || d.pathOnHost, cgroupPermissions: d.cgroupPermissions || 'rwm' };
    if (!validDeviceMode(m.cgroupPermissions)) throw invalid(`bad mode specified: ${m.cgroupPermissions}`);
    devicesFromPath(m.pathOnHost, m.pathInContainer, m.cgroupPermissions); // docker's message when missing
    return m;
  });

  const ulimits = o.ulimits ?? [];
  toRlimits(ulimits);
  const lowered = ulimitWarning(ulimits);
  if (lowered) warnings.push(lowered);

  if (o.shmSize !== undefined && (!Number.isSafeInteger(o.shmSize) || o.shmSize < 0)) throw invalid('SHM size can not be less than 0');

  const ipcMode = o.ipcMode || 'private';
  checkIpcMode(ipcMode);
  const pidMode = o.pidMode ?? '';
  checkPidMode(pidMode);
  const utsMode = o.utsMode ?? '';
  checkUtsMode(utsMode);
  checkCgroupnsMode(o.cgroupnsMode ?? '');
  checkUsernsMode(o.usernsMode ?? '');
  // docker's default: the host's cgroup namespace on v1 (always for privileged), a private one on v2
  const cgroupnsMode = o.cgroupnsMode || (deps.cgroupVersion === 2 ? 'private' : 'host');
  if (utsMode === 'host' && (o.hostname || o.domainname)) throw invalid('conflicting options: hostname and the UTS mode');

  const sysctls = { ...(o.sysctls ?? {}) };
  checkSysctls(sysctls, { privateNet: deps.networkMode !== 'host', privateIpc: ipcMode !== 'host' });

  const macAddress = o.macAddress ?? '';
  if (macAddress) {
    if (!MAC.test(macAddress)) throw invalid(`${macAddress} is not a valid mac address`);
    if (deps.networkMode === 'host' || deps.networkMode.startsWith('container:')) throw invalid('conflicting options: mac-address and the network mode');
  }
  if (o.domainname && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,253})$/.test(o.domainname)) throw invalid(`invalid domainname: ${JSON.stringify(o.domainname)}`);
  if (o.init) findInit(); // refused now rather than at start when there is none

  const host: HostSettings = {
    privileged: !!o.privileged,
    capAdd,
    capDrop,
    securityOpt,
    ...sec,
    groupAdd: [...(o.groupAdd ?? [])],
    readOnly: !!o.readOnly,
    devices,
    ulimits: ulimits.map((u) => ({ ...u })),
    shmSize: o.shmSize || DEFAULT_SHM_SIZE,
    sysctls,
    init: !!o.init,
    ipcMode: resolveRef(ipcMode, deps),
    pidMode: resolveRef(pidMode, deps),
    utsMode,
    cgroupnsMode,
    usernsMode: o.usernsMode ?? '',
    dnsSearch: [...(o.dnsSearch ?? [])],
    dnsOptions: [...(o.dnsOptions ?? [])],
    macAddress: macAddress.toLowerCase(),
    domainname: o.domainname ?? '',
    platform: o.platform ?? '',
    logConfig: checkLogConfig(o.logConfig),
  };
  return { host, warnings };
}

/** docker's --platform check against the image ("os[/arch[/variant]]", arch-only allowed). */
export function checkPlatform(platform: string, image: { os: string; architecture: string; variant?: string }, ref: string): void {
  if (!platform) return;
  const norm = (a: string) => ({ x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i386: '386' })[a] ?? a;
  const parts = platform.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) throw invalid(`"${platform}": invalid platform: expected os[/arch[/variant]]`);
  const known = ['linux', 'windows', 'darwin', 'freebsd'];
  const [os, arch, variant] = known.includes(parts[0]!) ? parts : ['linux', ...parts];
  const want = [os, arch && norm(arch), variant].filter(Boolean).join('/');
  const actual = [image.os, norm(image.architecture), image.variant].filter(Boolean).join('/');
  const matches = os === image.os && (!arch || norm(arch) === norm(image.architecture)) && (!variant || variant === image.variant);
  if (!matches) throw invalid(`image with reference ${ref} was found but does not match the specified platform: wanted ${want}, actual: ${actual}`);
}

/** Ports as docker keys them ("80/tcp"). */
export function normalizeExposed(list: string[]): string[] {
  return list.map((p) => {
    const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(p.trim());
    if (!m || Number(m[1]) > 65535) throw invalid(`invalid port format for --expose: ${p}`);
    return `${Number(m[1])}/${(m[2] ?? 'tcp').toLowerCase()}`;
  });
}
