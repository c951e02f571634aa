/**
 * The rows of berth's list commands as docker's formatter contexts (docker/cli v28): their
 * method names, column headers, default and raw formats. A command builds its rows (strings
 * already rendered the way docker renders them) and hands them to formatList with its kind.
 */
import type { RowKind } from './rows.js';
import { mapOf, mk, ptrTo, sliceOf, structType, T, type Value } from './template/types.js';

type Strings<K extends string> = Record<K, string>;

const pick = <R, K extends keyof R & string>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, (r: R) => r[k] as unknown as string])) as Record<K, (r: R) => string>;

// ---------------------------------------------------------------- containers (docker ps)

export type ContainerRow = Strings<
  'Command' | 'CreatedAt' | 'ID' | 'Image' | 'Labels' | 'LocalVolumes' | 'Mounts' | 'Names' | 'Networks' | 'Ports' | 'RunningFor' | 'Size' | 'State' | 'Status'
> & {
  labels: Record<string, string>;
};

/** ocispec's Platform, embedded in docker's formatter.Platform. */
const OCI_PLATFORM = structType('v1.Platform', [
  { name: 'Architecture', type: T.string, json: 'architecture' },
  { name: 'OS', type: T.string, json: 'os' },
  { name: 'OSVersion', type: T.string, json: 'os.version', omitempty: true },
  { name: 'OSFeatures', type: sliceOf(T.string), json: 'os.features', omitempty: true },
  { name: 'Variant', type: T.string, json: 'variant', omitempty: true },
]);

/** docker's *formatter.Platform (a Stringer); nil: berth's listings carry no image platform. */
const PLATFORM = ptrTo(structType('formatter.Platform', [{ name: 'Platform', type: OCI_PLATFORM, embedded: true }], { stringer: () => '' }));
const NIL_PLATFORM: Value = mk(PLATFORM, null);

export const CONTAINER_KIND: RowKind<ContainerRow> = {
  goType: 'formatter.ContainerContext',
  header: {
    ID: 'CONTAINER ID',
    Names: 'NAMES',
    Image: 'IMAGE',
    Command: 'COMMAND',
    CreatedAt: 'CREATED AT',
    RunningFor: 'CREATED',
    Ports: 'PORTS',
    State: 'STATE',
    Status: 'STATUS',
    Size: 'SIZE',
    Labels: 'LABELS',
    Mounts: 'MOUNTS',
    LocalVolumes: 'LOCAL VOLUMES',
    Networks: 'NETWORKS',
    Platform: 'PLATFORM',
  },
  methods: {
    ...pick<
      ContainerRow,
      | 'Command'
      | 'CreatedAt'
      | 'ID'
      | 'Image'
      | 'Labels'
      | 'LocalVolumes'
      | 'Mounts'
      | 'Names'
      | 'Networks'
      | 'Ports'
      | 'RunningFor'
      | 'Size'
      | 'State'
      | 'Status'
    >('Command', 'CreatedAt', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Names', 'Networks', 'Ports', 'RunningFor', 'Size', 'State', 'Status'),
    Platform: () => NIL_PLATFORM,
  },
  label: (r, name) => r.labels[name] ?? '',
  hidden: ['trunc', 'c'],
  fields: [{ name: 'FieldsUsed', type: mapOf(T.string, T.any) }],
  defaultFormat: 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
  rawFormat:
    'container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n',
};

/** The empty ContainerContext docker ps executes a template on before listing. */
export const EMPTY_CONTAINER_ROW: ContainerRow = {
  Command: '""',
  CreatedAt: '1970-01-01 00:00:00 +0000 UTC',
  ID: '',
  Image: '<no image>',
  Labels: '',
  LocalVolumes: '0',
  Mounts: '',
  Names: '',
  Networks: '',
  Ports: '',
  RunningFor: '',
  Size: '0B',
  State: '',
  Status: '',
  labels: {},
};

// ---------------------------------------------------------------- images

export type ImageRow = Strings<
  'Containers' | 'CreatedAt' | 'CreatedSince' | 'Digest' | 'ID' | 'Repository' | 'SharedSize' | 'Size' | 'Tag' | 'UniqueSize' | 'VirtualSize'
>;

export const IMAGE_KIND: RowKind<ImageRow> = {
  goType: 'formatter.imageContext',
  header: {
    ID: 'IMAGE ID',
    Repository: 'REPOSITORY',
    Tag: 'TAG',
    Digest: 'DIGEST',
    CreatedSince: 'CREATED',
    CreatedAt: 'CREATED AT',
    Size: 'SIZE',
    Containers: 'CONTAINERS',
    VirtualSize: 'SIZE',
    SharedSize: 'SHARED SIZE',
    UniqueSize: 'UNIQUE SIZE',
  },
  methods: pick<ImageRow, keyof ImageRow>(
    'ID',
    'Repository',
    'Tag',
    'Digest',
    'CreatedSince',
    'CreatedAt',
    'Size',
    'Containers',
    'VirtualSize',
    'SharedSize',
    'UniqueSize',
  ),
  hidden: ['trunc', 'i'],
  defaultFormat: 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}',
  rawFormat: 'repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n',
};

export const IMAGE_DIGEST_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';

// ---------------------------------------------------------------- networks

export type NetworkRow = Strings<'ID' | 'Name' | 'Driver' | 'Scope' | 'IPv4' | 'IPv6' | 'Internal' | 'Labels' | 'CreatedAt'> & {
  labels: Record<string, string>;
};

export const NETWORK_KIND: RowKind<NetworkRow> = {
  goType: 'network.networkContext',
  header: {
    ID: 'NETWORK ID',
    Name: 'NAME',
    Driver: 'DRIVER',
    Scope: 'SCOPE',
    IPv4: 'IPV4',
    IPv6: 'IPV6',
    Internal: 'INTERNAL',
    Labels: 'LABELS',
    CreatedAt: 'CREATED AT',
  },
  methods: pick<NetworkRow, 'ID' | 'Name' | 'Driver' | 'Scope' | 'IPv4' | 'IPv6' | 'Internal' | 'Labels' | 'CreatedAt'>(
    'ID',
    'Name',
    'Driver',
    'Scope',
    'IPv4',
    'IPv6',
    'Internal',
    'Labels',
    'CreatedAt',
  ),
  label: (r, name) => r.labels[name] ?? '',
  hidden: ['trunc', 'n'],
  defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
  rawFormat: 'network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n',
};

// ---------------------------------------------------------------- volumes

export type VolumeRow = Strings<'Name' | 'Driver' | 'Scope' | 'Mountpoint' | 'Labels' | 'Links' | 'Size' | 'Group' | 'Availability' | 'Status'> & {
  labels: Record<string, string>;
};

export const VOLUME_KIND: RowKind<VolumeRow> = {
  goType: 'formatter.volumeContext',
  header: {
    ID: 'ID',
    Name: 'VOLUME NAME',
    Group: 'GROUP',
    Driver: 'DRIVER',
    Scope: 'SCOPE',
    Availability: 'AVAILABILITY',
    Mountpoint: 'MOUNTPOINT',
    Labels: 'LABELS',
    Links: 'LINKS',
    Size: 'SIZE',
    Status: 'STATUS',
  },
  methods: pick<VolumeRow, 'Name' | 'Driver' | 'Scope' | 'Mountpoint' | 'Labels' | 'Links' | 'Size' | 'Group' | 'Availability' | 'Status'>(
    'Name',
    'Driver',
    'Scope',
    'Mountpoint',
    'Labels',
    'Links',
    'Size',
    'Group',
    'Availability',
    'Status',
  ),
  label: (r, name) => r.labels[name] ?? '',
  hidden: ['v'],
  defaultFormat: 'table {{.Driver}}\t{{.Name}}',
  rawFormat: 'name: {{.Name}}\\ndriver: {{.Driver}}\\n',
};

// ---------------------------------------------------------------- stats

export type StatsRow = Strings<'Container' | 'Name' | 'ID' | 'CPUPerc' | 'MemUsage' | 'MemPerc' | 'NetIO' | 'BlockIO' | 'PIDs'>;

export const STATS_KIND: RowKind<StatsRow> = {
  goType: 'container.statsContext',
  header: {
    Container: 'CONTAINER',
    Name: 'NAME',
    ID: 'CONTAINER ID',
    CPUPerc: 'CPU %',
    MemUsage: 'MEM USAGE / LIMIT',
    MemPerc: 'MEM %',
    NetIO: 'NET I/O',
    BlockIO: 'BLOCK I/O',
    PIDs: 'PIDS',
  },
  methods: pick<StatsRow, keyof StatsRow>('Container', 'Name', 'ID', 'CPUPerc', 'MemUsage', 'MemPerc', 'NetIO', 'BlockIO', 'PIDs'),
  hidden: ['s', 'os', 'trunc'],
  defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}',
};

// ---------------------------------------------------------------- image history

export type HistoryRow = Strings<'ID' | 'CreatedAt' | 'CreatedSince' | 'CreatedBy' | 'Size' | 'Comment'>;

export const HISTORY_KIND: RowKind<HistoryRow> = {
  goType: 'image.historyContext',
  header: { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' },
  methods: pick<HistoryRow, keyof HistoryRow>('ID', 'CreatedAt', 'CreatedSince', 'CreatedBy', 'Size', 'Comment'),
  hidden: ['trunc', 'human', 'h'],
  defaultFormat: 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
};

export const HISTORY_NON_HUMAN_FORMAT = 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';

// ---------------------------------------------------------------- contexts

export type ContextRow = Strings<'Name' | 'Description' | 'DockerEndpoint' | 'Error'> & { Current: boolean };

export const CONTEXT_KIND: RowKind<ContextRow> = {
  goType: 'formatter.clientContextContext',
  header: { Name: 'NAME', Description: 'DESCRIPTION', DockerEndpoint: 'DOCKER ENDPOINT', Error: 'ERROR' },
  methods: {
    Current: (r) => r.Current,
    ...pick<ContextRow, 'Name' | 'Description' | 'DockerEndpoint' | 'Error'>('Name', 'Description', 'DockerEndpoint', 'Error'),
  },
  hidden: ['c'],
  // Its Error method makes a row an error value: fmt prints `{{.}}` as that text.
  errorText: (r) => r.Error,
  defaultFormat: 'table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}',
};

// ---------------------------------------------------------------- search

export type SearchRow = Strings<'Name' | 'Description' | 'StarCount'> & { official: boolean };

/** docker's search rows print OFFICIAL as [OK] in tables and true/false in JSON. */
export const SEARCH_KIND: RowKind<SearchRow> = {
  goType: 'registry.searchContext',
  header: { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL' },
  methods: {
    ...pick<SearchRow, 'Name' | 'Description' | 'StarCount'>('Name', 'Description', 'StarCount'),
    IsOfficial: (r) => (r.official ? '[OK]' : ''),
  },
  json: { IsOfficial: (r) => String(r.official) },
  hidden: ['trunc', 'json', 's'],
  defaultFormat: 'table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}',
};
