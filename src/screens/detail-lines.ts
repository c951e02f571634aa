/** The detail views as lines of text, pure (model → lines), so they are tested without Ink. */
import type { DockerContainerInspect, DockerImageInspect, ImageHistoryEntry, LogLine, NetworkSummary, VolumeSummary, ContainerSummary } from '../engine/api.js';
import type { Theme } from '../ui/theme.js';
import { bytes, memBytes, shortId } from '../ui/format.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function section(theme: Theme, title: string, rows: readonly string[]): string[] {
  return [theme.paint('title', title), ...(rows.length ? rows.map((r) => `  ${r}`) : [theme.paint('muted', '  (none)')]), ''];
}

/** cgroup limits as docker stores them in HostConfig; 0 means unlimited. */
export function limitsText(hc: Record<string, unknown>): string[] {
  const mem = num(hc['Memory']);
  const swap = num(hc['MemorySwap']);
  const cpus = num(hc['NanoCpus']);
  const shares = num(hc['CpuShares']);
  const pids = num(hc['PidsLimit']);
  return [
    `memory  ${mem ? memBytes(mem) : 'unlimited'}`,
    `swap    ${swap === -1 ? 'unlimited' : swap ? memBytes(swap) : 'default'}`,
    `cpus    ${cpus ? (cpus / 1e9).toFixed(2) : 'unlimited'}${shares ? `  shares ${shares}` : ''}`,
    `pids    ${pids && pids > 0 ? pids : 'unlimited'}`,
  ];
}

export function containerDetailLines(i: DockerContainerInspect, logs: readonly LogLine[], theme: Theme): string[] {
  const name = i.Name.replace(/^\//, '');
  const st = i.State;
  const ports = Object.entries(i.NetworkSettings.Ports ?? {}).flatMap(([p, bs]) =>
    bs && bs.length ? bs.map((b) => `${p} -> ${b.HostIp || '0.0.0.0'}:${b.HostPort}`) : [`${p} (not published)`],
  );
  return [
    `${theme.paint('title', name)}  ${theme.paint('muted', shortId(i.Id))}`,
    `  image ${i.Config.Image}   state ${st.Status}${st.Running ? ` since ${st.StartedAt}` : st.FinishedAt ? ` (exit ${st.ExitCode}) at ${st.FinishedAt}` : ''}   pid ${st.Pid || '-'}   restarts ${i.RestartCount}`,
    '',
    ...section(theme, 'Command', [[i.Path, ...i.Args].filter(Boolean).join(' ') || '-']),
    ...section(theme, 'Environment', i.Config.Env ?? []),
    ...section(
      theme,
      'Mounts',
      i.Mounts.map((m) => `${m.Type} ${m.Name || m.Source} -> ${m.Destination} (${m.RW ? 'rw' : 'ro'})`),
    ),
    ...section(theme, 'Ports', ports),
    ...section(
      theme,
      'Networks',
      Object.entries(i.NetworkSettings.Networks ?? {}).map(
        ([n, e]) => `${n}  ${e.IPAddress ? `${e.IPAddress}/${e.IPPrefixLen}` : '-'}  gw ${e.Gateway || '-'}  mac ${e.MacAddress || '-'}`,
      ),
    ),
    ...section(theme, 'Limits (cgroup)', limitsText(i.HostConfig ?? {})),
    ...section(
      theme,
      'Recent logs',
      logs.map((l) => (l.stream === 'stderr' ? theme.paint('warning', l.text) : l.text)),
    ),
  ];
}

export function imageDetailLines(i: DockerImageInspect, history: readonly ImageHistoryEntry[], theme: Theme): string[] {
  const c = i.Config ?? {};
  return [
    `${theme.paint('title', i.RepoTags[0] ?? '<none>')}  ${theme.paint('muted', shortId(i.Id))}`,
    `  ${i.Os}/${i.Architecture}   size ${bytes(i.Size)}   created ${i.Created}`,
    '',
    ...section(theme, 'Tags', i.RepoTags),
    ...section(theme, 'Command', [[...(c.Entrypoint ?? []), ...(c.Cmd ?? [])].join(' ') || '-']),
    ...section(theme, 'Environment', c.Env ?? []),
    ...section(theme, 'Exposed ports', Object.keys(c.ExposedPorts ?? {})),
    ...section(
      theme,
      'Layers',
      i.RootFS.Layers.map((l) => shortId(l)),
    ),
    ...section(
      theme,
      'History',
      history.map((h) => `${bytes(h.size).padStart(7)}  ${h.createdBy}`),
    ),
  ];
}

export function networkDetailLines(n: NetworkSummary, theme: Theme): string[] {
  return [
    `${theme.paint('title', n.name)}  ${theme.paint('muted', shortId(n.id))}`,
    `  driver ${n.driver}   internal ${n.internal ? 'yes' : 'no'}   created ${n.created}`,
    '',
    ...section(
      theme,
      'IPAM',
      n.ipam.map((c) => `subnet ${c.subnet}  gateway ${c.gateway ?? '-'}${c.ipRange ? `  range ${c.ipRange}` : ''}`),
    ),
    ...section(
      theme,
      'Containers',
      n.containers.map((e) => `${e.name}  ${e.ipv4Address}  mac ${e.macAddress}${e.aliases.length ? `  aliases ${e.aliases.join(',')}` : ''}`),
    ),
    ...section(
      theme,
      'Options',
      Object.entries(n.options).map(([k, v]) => `${k}=${v}`),
    ),
    ...section(
      theme,
      'Labels',
      Object.entries(n.labels).map(([k, v]) => `${k}=${v}`),
    ),
  ];
}

export function volumeDetailLines(v: VolumeSummary, containers: readonly ContainerSummary[], theme: Theme): string[] {
  const names = new Map(containers.map((c) => [c.id, c.names[0] ?? c.id.slice(0, 12)]));
  return [
    theme.paint('title', v.name),
    `  driver ${v.driver}   size ${v.size === undefined ? 'unknown' : bytes(v.size)}   created ${v.createdAt}`,
    `  mountpoint ${v.mountpoint}`,
    '',
    ...section(
      theme,
      'Used by',
      v.usedBy.map((id) => names.get(id) ?? id.slice(0, 12)),
    ),
    ...section(
      theme,
      'Options',
      Object.entries(v.options).map(([k, val]) => `${k}=${val}`),
    ),
    ...section(
      theme,
      'Labels',
      Object.entries(v.labels).map(([k, val]) => `${k}=${val}`),
    ),
  ];
}
