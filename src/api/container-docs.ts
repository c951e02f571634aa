/** The engine's container summaries, inspect documents and stats samples in docker's JSON (list, inspect, stats). */
import type { ContainerSummary, DockerContainerInspect, StatsSample } from '../engine/api.js';

const unix = (iso: string | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);

export function listDoc(c: ContainerSummary, networkMode: string): Record<string, unknown> {
  return {
    Id: c.id,
    Names: c.names.map((n) => `/${n}`),
    Image: c.image,
    ImageID: c.imageId,
    Command: c.command,
    Created: unix(c.created),
    Ports: c.ports.map((p) => ({
      ...(p.hostPort ? { IP: p.hostIp || '0.0.0.0', PublicPort: p.hostPort } : {}),
      PrivatePort: p.containerPort,
      Type: p.protocol,
    })),
    Labels: c.labels,
    State: c.state,
    Status: c.status,
    HostConfig: { NetworkMode: networkMode },
    NetworkSettings: {
      Networks: Object.fromEntries(c.networks.map((n) => [n, { NetworkID: '', EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, MacAddress: '' }])),
    },
    Mounts: c.mounts.map((m) => (m.startsWith('/') ? { Type: 'bind', Source: m } : { Type: 'volume', Name: m, Source: '' })),
    ...(c.sizeRw !== undefined ? { SizeRw: c.sizeRw } : {}),
    ...(c.sizeRootFs !== undefined ? { SizeRootFs: c.sizeRootFs } : {}),
  };
}

interface CpuDoc {
  cpu_usage: { total_usage: number; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage: number;
  online_cpus: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}
const cpuDoc = (s: StatsSample | undefined): CpuDoc => ({
  cpu_usage: { total_usage: s?.cpuNs ?? 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
  system_cpu_usage: s?.systemNs ?? 0,
  online_cpus: s?.onlineCpus ?? 0,
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
});

/**
 * docker's stats document for one reading (`prev`: the reading before, docker's precpu). The
 * engine reads memory as docker shows it (usage − inactive file), so usage carries that and
 * inactive_file is 0: docker's clients subtract it and show the same number.
 */
export function statsDoc(id: string, name: string, s: StatsSample | undefined, prev: StatsSample | undefined): Record<string, unknown> {
  const at = (x: StatsSample | undefined) => (x ? new Date(x.at).toISOString() : '0001-01-01T00:00:00Z');
  return {
    read: at(s),
    preread: at(prev),
    pids_stats: s ? { current: s.pids } : {},
    blkio_stats: {
      io_service_bytes_recursive: s
        ? [
            { major: 0, minor: 0, op: 'Read', value: s.blockRead },
            { major: 0, minor: 0, op: 'Write', value: s.blockWrite },
          ]
        : null,
      io_serviced_recursive: null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuDoc(s),
    precpu_stats: cpuDoc(prev),
    memory_stats: s ? { usage: s.memUsage, stats: { inactive_file: 0, total_inactive_file: 0 }, limit: s.memLimit } : {},
    name: `/${name}`,
    id,
    ...(s
      ? { networks: { eth0: { rx_bytes: s.netRx, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: s.netTx, tx_packets: 0, tx_errors: 0, tx_dropped: 0 } } }
      : {}),
  };
}

/**
 * Inspect as docker's clients read it. The default log driver, k8s-file, is called json-file, as
 * podman's compat API does (podman#9036): clients read logs only from drivers they know
 * (docker-py's `containers.run()` returned None, compose 1.29 printed no logs), and both keep
 * every line with its stream and time, which is all the logs endpoint serves.
 */
export function inspectDoc(c: DockerContainerInspect): DockerContainerInspect {
  const log = c.HostConfig['LogConfig'] as { Type?: unknown } | undefined;
  if (log?.Type !== 'k8s-file') return c;
  return { ...c, HostConfig: { ...c.HostConfig, LogConfig: { ...log, Type: 'json-file' } } };
}
