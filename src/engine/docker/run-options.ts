/**
 * The run/create options beyond the basics (security, devices, limits, namespaces, logging) as
 * the Docker API's create body takes them: docker's own field names, passed through for the
 * daemon to check and apply (its messages reach the user as they are).
 */
import type { ContainerCreateOptions } from '../api.js';

/** Fields of the create body's top level (docker's Config). */
export function runOptionsConfig(o: ContainerCreateOptions): Record<string, unknown> {
  return {
    ...(o.domainname ? { Domainname: o.domainname } : {}),
    // Config.MacAddress: what API ≤ 1.43 takes; newer daemons move it to the endpoint themselves
    ...(o.macAddress ? { MacAddress: o.macAddress } : {}),
  };
}

/** Exposed ports beyond the published ones ("80/tcp" keys). */
export function exposedPorts(o: ContainerCreateOptions): Record<string, object> {
  return Object.fromEntries((o.exposedPorts ?? []).map((p) => [p.includes('/') ? p : `${p}/tcp`, {}]));
}

/** Fields of the create body's HostConfig. */
export function runOptionsHostConfig(o: ContainerCreateOptions): Record<string, unknown> {
  const h: Record<string, unknown> = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) h[k] = v;
  };
  if (o.privileged) h.Privileged = true;
  set('CapAdd', o.capAdd);
  set('CapDrop', o.capDrop);
  set('SecurityOpt', o.securityOpt);
  set('GroupAdd', o.groupAdd);
  if (o.readOnly) h.ReadonlyRootfs = true;
  set(
    'Devices',
    o.devices?.map((d) => ({ PathOnHost: d.pathOnHost, PathInContainer: d.pathInContainer || d.pathOnHost, CgroupPermissions: d.cgroupPermissions || 'rwm' })),
  );
  set(
    'Ulimits',
    o.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
  );
  if (o.shmSize) h.ShmSize = o.shmSize;
  if (o.sysctls && Object.keys(o.sysctls).length) h.Sysctls = o.sysctls;
  if (o.cpusetCpus) h.CpusetCpus = o.cpusetCpus;
  if (o.cpusetMems) h.CpusetMems = o.cpusetMems;
  if (o.cpuPeriod) h.CpuPeriod = o.cpuPeriod;
  if (o.cpuQuota) h.CpuQuota = o.cpuQuota;
  if (o.memoryReservation) h.MemoryReservation = o.memoryReservation;
  if (o.oomKillDisable) h.OomKillDisable = true;
  if (o.blkioWeight) h.BlkioWeight = o.blkioWeight;
  if (o.kernelMemory) h.KernelMemory = o.kernelMemory;
  if (o.init) h.Init = true;
  if (o.ipcMode) h.IpcMode = o.ipcMode;
  if (o.pidMode) h.PidMode = o.pidMode;
  if (o.utsMode) h.UTSMode = o.utsMode;
  if (o.cgroupnsMode) h.CgroupnsMode = o.cgroupnsMode;
  if (o.usernsMode) h.UsernsMode = o.usernsMode;
  set('DnsSearch', o.dnsSearch);
  set('DnsOptions', o.dnsOptions);
  if (o.logConfig) h.LogConfig = { Type: o.logConfig.type, Config: o.logConfig.config };
  return h;
}
