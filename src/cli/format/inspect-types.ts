/**
 * The Go types docker's CLI (v28) decodes inspect documents into before it runs an `inspect -f`
 * template on them: container.InspectResponse, image.InspectResponse, network.Inspect and
 * volume.Volume. They decide what a template prints: a struct (`{{.State}}` is `{running true
 * …}`) or a map (`{{.Config.Labels}}` is `map[a:b]`), `[]` for a nil slice and `<nil>` for a nil
 * pointer, zero values for fields the document leaves out, `{{.ID}}` as well as `{{.Id}}`, and
 * the JSON `{{json .X}}` writes (struct field order, omitempty). Field names, order and JSON tags
 * follow github.com/docker/docker/api/types as vendored by docker/cli v28.2.2.
 */
import { DURATION, FILE_MODE, TIME } from './template/gotime.js';
import { arrayOf, int, mapOf, mk, named, ptrTo, sliceOf, structType, T, type Field, type GoType } from './template/types.js';

/** [Go name, type, JSON name ('' keeps the Go name), omitempty] — or an embedded type. */
type Spec = [string, GoType, string?, boolean?] | GoType;

function struct(name: string, specs: Spec[]): GoType {
  const fields: Field[] = specs.map((s) => {
    if (!Array.isArray(s)) {
      const base = s.kind === 'ptr' ? s.elem! : s;
      return { name: base.name!.replace(/^.*\./, ''), type: s, embedded: true };
    }
    const [goName, type, json, omitempty] = s;
    return { name: goName, type, ...(json ? { json } : {}), ...(omitempty ? { omitempty } : {}) };
  });
  return structType(name, fields);
}

const str = T.string;
const strs = sliceOf(T.string);
const strMap = mapOf(T.string, T.string);
const OMIT = true;
const emptyStruct = structType('struct {}', []);
emptyStruct.name = undefined;

const strSlice = sliceOf(T.string, 'strslice.StrSlice');

// ---------------------------------------------------------------- go-connections/nat

const PORT: GoType = named(T.string, 'nat.Port');
const portParts = (p: string) => {
  const [num = '', proto = 'tcp'] = p.split('/');
  return { num, proto };
};
PORT.methods = {
  Port: { params: [], variadic: false, result: str, hasError: false, call: (r) => mk(str, portParts(r.v as string).num) },
  Proto: { params: [], variadic: false, result: str, hasError: false, call: (r) => mk(str, portParts(r.v as string).proto) },
  Int: { params: [], variadic: false, result: T.int, hasError: false, call: (r) => int(Number.parseInt(portParts(r.v as string).num.split('-')[0]!, 10) || 0) },
};
const PORT_BINDING = struct('nat.PortBinding', [
  ['HostIP', str, 'HostIp'],
  ['HostPort', str],
]);
const PORT_MAP = mapOf(PORT, sliceOf(PORT_BINDING), 'nat.PortMap');
const PORT_SET = mapOf(PORT, emptyStruct, 'nat.PortSet');

// ---------------------------------------------------------------- shared pieces

const OCI_PLATFORM = struct('v1.Platform', [
  ['Architecture', str, 'architecture'],
  ['OS', str, 'os'],
  ['OSVersion', str, 'os.version', OMIT],
  ['OSFeatures', strs, 'os.features', OMIT],
  ['Variant', str, 'variant', OMIT],
]);

const DESCRIPTOR = struct('v1.Descriptor', [
  ['MediaType', str, 'mediaType'],
  ['Digest', named(T.string, 'digest.Digest'), 'digest'],
  ['Size', T.int64, 'size'],
  ['URLs', strs, 'urls', OMIT],
  ['Annotations', strMap, 'annotations', OMIT],
  ['Data', sliceOf(T.uint8), 'data', OMIT],
  ['Platform', ptrTo(OCI_PLATFORM), 'platform', OMIT],
  ['ArtifactType', str, 'artifactType', OMIT],
]);

const DRIVER_DATA = struct('storage.DriverData', [
  ['Data', strMap, 'Data'],
  ['Name', str, 'Name'],
]);

const HEALTH_CONFIG = struct('v1.HealthcheckConfig', [
  ['Test', strs, '', OMIT],
  ['Interval', DURATION, '', OMIT],
  ['Timeout', DURATION, '', OMIT],
  ['StartPeriod', DURATION, '', OMIT],
  ['StartInterval', DURATION, '', OMIT],
  ['Retries', T.int, '', OMIT],
]);

// ---------------------------------------------------------------- containers

const CONTAINER_CONFIG = struct('container.Config', [
  ['Hostname', str],
  ['Domainname', str],
  ['User', str],
  ['AttachStdin', T.bool],
  ['AttachStdout', T.bool],
  ['AttachStderr', T.bool],
  ['ExposedPorts', PORT_SET, '', OMIT],
  ['Tty', T.bool],
  ['OpenStdin', T.bool],
  ['StdinOnce', T.bool],
  ['Env', strs],
  ['Cmd', strSlice],
  ['Healthcheck', ptrTo(HEALTH_CONFIG), '', OMIT],
  ['ArgsEscaped', T.bool, '', OMIT],
  ['Image', str],
  ['Volumes', mapOf(T.string, emptyStruct)],
  ['WorkingDir', str],
  ['Entrypoint', strSlice],
  ['NetworkDisabled', T.bool, '', OMIT],
  ['MacAddress', str, '', OMIT],
  ['OnBuild', strs],
  ['Labels', strMap],
  ['StopSignal', str, '', OMIT],
  ['StopTimeout', ptrTo(T.int), '', OMIT],
  ['Shell', strSlice, '', OMIT],
]);

const HEALTHCHECK_RESULT = struct('container.HealthcheckResult', [
  ['Start', TIME],
  ['End', TIME],
  ['ExitCode', T.int],
  ['Output', str],
]);
const HEALTH = struct('container.Health', [
  ['Status', str],
  ['FailingStreak', T.int],
  ['Log', sliceOf(ptrTo(HEALTHCHECK_RESULT))],
]);

const STATE = struct('container.State', [
  ['Status', str],
  ['Running', T.bool],
  ['Paused', T.bool],
  ['Restarting', T.bool],
  ['OOMKilled', T.bool],
  ['Dead', T.bool],
  ['Pid', T.int],
  ['ExitCode', T.int],
  ['Error', str],
  ['StartedAt', str],
  ['FinishedAt', str],
  ['Health', ptrTo(HEALTH), '', OMIT],
]);

const MOUNT_POINT = struct('container.MountPoint', [
  ['Type', named(T.string, 'mount.Type'), '', OMIT],
  ['Name', str, '', OMIT],
  ['Source', str],
  ['Destination', str],
  ['Driver', str, '', OMIT],
  ['Mode', str],
  ['RW', T.bool],
  ['Propagation', named(T.string, 'mount.Propagation')],
]);

const MOUNT_DRIVER = struct('mount.Driver', [
  ['Name', str, '', OMIT],
  ['Options', strMap, '', OMIT],
]);
const MOUNT = struct('mount.Mount', [
  ['Type', named(T.string, 'mount.Type'), '', OMIT],
  ['Source', str, '', OMIT],
  ['Target', str, '', OMIT],
  ['ReadOnly', T.bool, '', OMIT],
  ['Consistency', named(T.string, 'mount.Consistency'), '', OMIT],
  [
    'BindOptions',
    ptrTo(
      struct('mount.BindOptions', [
        ['Propagation', named(T.string, 'mount.Propagation'), '', OMIT],
        ['NonRecursive', T.bool, '', OMIT],
        ['CreateMountpoint', T.bool, '', OMIT],
        ['ReadOnlyNonRecursive', T.bool, '', OMIT],
        ['ReadOnlyForceRecursive', T.bool, '', OMIT],
      ]),
    ),
    '',
    OMIT,
  ],
  [
    'VolumeOptions',
    ptrTo(
      struct('mount.VolumeOptions', [
        ['NoCopy', T.bool, '', OMIT],
        ['Labels', strMap, '', OMIT],
        ['Subpath', str, '', OMIT],
        ['DriverConfig', ptrTo(MOUNT_DRIVER), '', OMIT],
      ]),
    ),
    '',
    OMIT,
  ],
  ['ImageOptions', ptrTo(struct('mount.ImageOptions', [['Subpath', str, '', OMIT]])), '', OMIT],
  [
    'TmpfsOptions',
    ptrTo(
      struct('mount.TmpfsOptions', [
        ['SizeBytes', T.int64, '', OMIT],
        ['Mode', FILE_MODE, '', OMIT],
        ['Options', sliceOf(strs), '', OMIT],
      ]),
    ),
    '',
    OMIT,
  ],
  ['ClusterOptions', ptrTo(struct('mount.ClusterOptions', [])), '', OMIT],
]);

const WEIGHT_DEVICE = ptrTo(
  struct('blkiodev.WeightDevice', [
    ['Path', str],
    ['Weight', T.uint16],
  ]),
);
const THROTTLE_DEVICE = ptrTo(
  struct('blkiodev.ThrottleDevice', [
    ['Path', str],
    ['Rate', T.uint64],
  ]),
);

const RESOURCES = struct('container.Resources', [
  ['CPUShares', T.int64, 'CpuShares'],
  ['Memory', T.int64],
  ['NanoCPUs', T.int64, 'NanoCpus'],
  ['CgroupParent', str],
  ['BlkioWeight', T.uint16],
  ['BlkioWeightDevice', sliceOf(WEIGHT_DEVICE)],
  ['BlkioDeviceReadBps', sliceOf(THROTTLE_DEVICE)],
  ['BlkioDeviceWriteBps', sliceOf(THROTTLE_DEVICE)],
  ['BlkioDeviceReadIOps', sliceOf(THROTTLE_DEVICE)],
  ['BlkioDeviceWriteIOps', sliceOf(THROTTLE_DEVICE)],
  ['CPUPeriod', T.int64, 'CpuPeriod'],
  ['CPUQuota', T.int64, 'CpuQuota'],
  ['CPURealtimePeriod', T.int64, 'CpuRealtimePeriod'],
  ['CPURealtimeRuntime', T.int64, 'CpuRealtimeRuntime'],
  ['CpusetCpus', str],
  ['CpusetMems', str],
  [
    'Devices',
    sliceOf(
      struct('container.DeviceMapping', [
        ['PathOnHost', str],
        ['PathInContainer', str],
        ['CgroupPermissions', str],
      ]),
    ),
  ],
  ['DeviceCgroupRules', strs],
  [
    'DeviceRequests',
    sliceOf(
      struct('container.DeviceRequest', [
        ['Driver', str],
        ['Count', T.int],
        ['DeviceIDs', strs],
        ['Capabilities', sliceOf(strs)],
        ['Options', strMap],
      ]),
    ),
  ],
  ['KernelMemory', T.int64, '', OMIT],
  ['KernelMemoryTCP', T.int64, '', OMIT],
  ['MemoryReservation', T.int64],
  ['MemorySwap', T.int64],
  ['MemorySwappiness', ptrTo(T.int64)],
  ['OomKillDisable', ptrTo(T.bool)],
  ['PidsLimit', ptrTo(T.int64)],
  [
    'Ulimits',
    sliceOf(
      ptrTo(
        struct('units.Ulimit', [
          ['Name', str],
          ['Hard', T.int64],
          ['Soft', T.int64],
        ]),
      ),
    ),
  ],
  ['CPUCount', T.int64, 'CpuCount'],
  ['CPUPercent', T.int64, 'CpuPercent'],
  ['IOMaximumIOps', T.uint64],
  ['IOMaximumBandwidth', T.uint64],
]);

const HOST_CONFIG = struct('container.HostConfig', [
  ['Binds', strs],
  ['ContainerIDFile', str],
  [
    'LogConfig',
    struct('container.LogConfig', [
      ['Type', str],
      ['Config', strMap],
    ]),
  ],
  ['NetworkMode', named(T.string, 'container.NetworkMode')],
  ['PortBindings', PORT_MAP],
  [
    'RestartPolicy',
    struct('container.RestartPolicy', [
      ['Name', named(T.string, 'container.RestartPolicyMode')],
      ['MaximumRetryCount', T.int],
    ]),
  ],
  ['AutoRemove', T.bool],
  ['VolumeDriver', str],
  ['VolumesFrom', strs],
  ['ConsoleSize', arrayOf(T.uint, 2)],
  ['Annotations', strMap, '', OMIT],
  ['CapAdd', strSlice],
  ['CapDrop', strSlice],
  ['CgroupnsMode', named(T.string, 'container.CgroupnsMode')],
  ['DNS', strs, 'Dns'],
  ['DNSOptions', strs, 'DnsOptions'],
  ['DNSSearch', strs, 'DnsSearch'],
  ['ExtraHosts', strs],
  ['GroupAdd', strs],
  ['IpcMode', named(T.string, 'container.IpcMode')],
  ['Cgroup', named(T.string, 'container.CgroupSpec')],
  ['Links', strs],
  ['OomScoreAdj', T.int],
  ['PidMode', named(T.string, 'container.PidMode')],
  ['Privileged', T.bool],
  ['PublishAllPorts', T.bool],
  ['ReadonlyRootfs', T.bool],
  ['SecurityOpt', strs],
  ['StorageOpt', strMap, '', OMIT],
  ['Tmpfs', strMap, '', OMIT],
  ['UTSMode', named(T.string, 'container.UTSMode')],
  ['UsernsMode', named(T.string, 'container.UsernsMode')],
  ['ShmSize', T.int64],
  ['Sysctls', strMap, '', OMIT],
  ['Runtime', str, '', OMIT],
  ['Isolation', named(T.string, 'container.Isolation')],
  RESOURCES,
  ['Mounts', sliceOf(MOUNT), '', OMIT],
  ['MaskedPaths', strs],
  ['ReadonlyPaths', strs],
  ['Init', ptrTo(T.bool), '', OMIT],
]);

const ADDRESS = struct('network.Address', [
  ['Addr', str],
  ['PrefixLen', T.int],
]);

const ENDPOINT_SETTINGS = struct('network.EndpointSettings', [
  [
    'IPAMConfig',
    ptrTo(
      struct('network.EndpointIPAMConfig', [
        ['IPv4Address', str, '', OMIT],
        ['IPv6Address', str, '', OMIT],
        ['LinkLocalIPs', strs, '', OMIT],
      ]),
    ),
  ],
  ['Links', strs],
  ['Aliases', strs],
  ['MacAddress', str],
  ['DriverOpts', strMap],
  ['GwPriority', T.int],
  ['NetworkID', str],
  ['EndpointID', str],
  ['Gateway', str],
  ['IPAddress', str],
  ['IPPrefixLen', T.int],
  ['IPv6Gateway', str],
  ['GlobalIPv6Address', str],
  ['GlobalIPv6PrefixLen', T.int],
  ['DNSNames', strs],
]);

const NETWORK_SETTINGS = struct('container.NetworkSettings', [
  struct('container.NetworkSettingsBase', [
    ['Bridge', str],
    ['SandboxID', str],
    ['SandboxKey', str],
    ['Ports', PORT_MAP],
    ['HairpinMode', T.bool],
    ['LinkLocalIPv6Address', str],
    ['LinkLocalIPv6PrefixLen', T.int],
    ['SecondaryIPAddresses', sliceOf(ADDRESS)],
    ['SecondaryIPv6Addresses', sliceOf(ADDRESS)],
  ]),
  struct('container.DefaultNetworkSettings', [
    ['EndpointID', str],
    ['Gateway', str],
    ['GlobalIPv6Address', str],
    ['GlobalIPv6PrefixLen', T.int],
    ['IPAddress', str],
    ['IPPrefixLen', T.int],
    ['IPv6Gateway', str],
    ['MacAddress', str],
  ]),
  ['Networks', mapOf(T.string, ptrTo(ENDPOINT_SETTINGS))],
]);

const CONTAINER_JSON_BASE = struct('container.ContainerJSONBase', [
  ['ID', str, 'Id'],
  ['Created', str],
  ['Path', str],
  ['Args', strs],
  ['State', ptrTo(STATE)],
  ['Image', str],
  ['ResolvConfPath', str],
  ['HostnamePath', str],
  ['HostsPath', str],
  ['LogPath', str],
  ['Name', str],
  ['RestartCount', T.int],
  ['Driver', str],
  ['Platform', str],
  ['MountLabel', str],
  ['ProcessLabel', str],
  ['AppArmorProfile', str],
  ['ExecIDs', strs],
  ['HostConfig', ptrTo(HOST_CONFIG)],
  ['GraphDriver', DRIVER_DATA],
  ['SizeRw', ptrTo(T.int64), '', OMIT],
  ['SizeRootFs', ptrTo(T.int64), '', OMIT],
]);

export const CONTAINER_INSPECT = struct('container.InspectResponse', [
  ptrTo(CONTAINER_JSON_BASE),
  ['Mounts', sliceOf(MOUNT_POINT)],
  ['Config', ptrTo(CONTAINER_CONFIG)],
  ['NetworkSettings', ptrTo(NETWORK_SETTINGS)],
  ['ImageManifestDescriptor', ptrTo(DESCRIPTOR), 'ImageManifestDescriptor', OMIT],
]);

// ---------------------------------------------------------------- images

const IMAGE_CONFIG = struct('v1.DockerOCIImageConfig', [
  struct('v1.ImageConfig', [
    ['User', str, 'User', OMIT],
    ['ExposedPorts', mapOf(T.string, emptyStruct), 'ExposedPorts', OMIT],
    ['Env', strs, 'Env', OMIT],
    ['Entrypoint', strs, 'Entrypoint', OMIT],
    ['Cmd', strs, 'Cmd', OMIT],
    ['Volumes', mapOf(T.string, emptyStruct), 'Volumes', OMIT],
    ['WorkingDir', str, 'WorkingDir', OMIT],
    ['Labels', strMap, 'Labels', OMIT],
    ['StopSignal', str, 'StopSignal', OMIT],
    ['ArgsEscaped', T.bool, 'ArgsEscaped', OMIT],
  ]),
  struct('v1.DockerOCIImageConfigExt', [
    ['Healthcheck', ptrTo(HEALTH_CONFIG), '', OMIT],
    ['OnBuild', strs, '', OMIT],
    ['Shell', strs, '', OMIT],
  ]),
]);

const MANIFEST_SUMMARY = struct('image.ManifestSummary', [
  ['ID', str],
  ['Descriptor', DESCRIPTOR],
  ['Available', T.bool],
  [
    'Size',
    struct('image.ManifestSummarySize', [
      ['Total', T.int64],
      ['Content', T.int64],
    ]),
  ],
  ['Kind', named(T.string, 'image.ManifestKind')],
]);

export const IMAGE_INSPECT = struct('image.InspectResponse', [
  ['ID', str, 'Id'],
  ['RepoTags', strs],
  ['RepoDigests', strs],
  ['Parent', str],
  ['Comment', str],
  ['Created', str, '', OMIT],
  ['Container', str, '', OMIT],
  ['ContainerConfig', ptrTo(CONTAINER_CONFIG), '', OMIT],
  ['DockerVersion', str],
  ['Author', str],
  ['Config', ptrTo(IMAGE_CONFIG)],
  ['Architecture', str],
  ['Variant', str, '', OMIT],
  ['Os', str],
  ['OsVersion', str, '', OMIT],
  ['Size', T.int64],
  ['VirtualSize', T.int64, 'VirtualSize', OMIT],
  ['GraphDriver', DRIVER_DATA],
  [
    'RootFS',
    struct('image.RootFS', [
      ['Type', str, '', OMIT],
      ['Layers', strs, '', OMIT],
    ]),
  ],
  ['Metadata', struct('image.Metadata', [['LastTagTime', TIME, '', OMIT]])],
  ['Descriptor', ptrTo(DESCRIPTOR), 'Descriptor', OMIT],
  ['Manifests', sliceOf(MANIFEST_SUMMARY), 'Manifests', OMIT],
]);

// ---------------------------------------------------------------- networks

export const NETWORK_INSPECT = struct('network.Inspect', [
  ['Name', str],
  ['ID', str, 'Id'],
  ['Created', TIME],
  ['Scope', str],
  ['Driver', str],
  ['EnableIPv4', T.bool],
  ['EnableIPv6', T.bool],
  [
    'IPAM',
    struct('network.IPAM', [
      ['Driver', str],
      ['Options', strMap],
      [
        'Config',
        sliceOf(
          struct('network.IPAMConfig', [
            ['Subnet', str, '', OMIT],
            ['IPRange', str, '', OMIT],
            ['Gateway', str, '', OMIT],
            ['AuxAddress', strMap, 'AuxiliaryAddresses', OMIT],
          ]),
        ),
      ],
    ]),
  ],
  ['Internal', T.bool],
  ['Attachable', T.bool],
  ['Ingress', T.bool],
  ['ConfigFrom', struct('network.ConfigReference', [['Network', str]])],
  ['ConfigOnly', T.bool],
  [
    'Containers',
    mapOf(
      T.string,
      struct('network.EndpointResource', [
        ['Name', str],
        ['EndpointID', str],
        ['MacAddress', str],
        ['IPv4Address', str],
        ['IPv6Address', str],
      ]),
    ),
  ],
  ['Options', strMap],
  ['Labels', strMap],
  [
    'Peers',
    sliceOf(
      struct('network.PeerInfo', [
        ['Name', str],
        ['IP', str],
      ]),
    ),
    '',
    OMIT,
  ],
  ['Services', mapOf(T.string, T.any), '', OMIT],
]);

// ---------------------------------------------------------------- volumes

export const VOLUME_INSPECT = struct('volume.Volume', [
  ['ClusterVolume', ptrTo(T.any), 'ClusterVolume', OMIT],
  ['CreatedAt', str, 'CreatedAt', OMIT],
  ['Driver', str, 'Driver'],
  ['Labels', strMap, 'Labels'],
  ['Mountpoint', str, 'Mountpoint'],
  ['Name', str, 'Name'],
  ['Options', strMap, 'Options'],
  ['Scope', str, 'Scope'],
  ['Status', mapOf(T.string, T.any), 'Status', OMIT],
  [
    'UsageData',
    ptrTo(
      struct('volume.UsageData', [
        ['RefCount', T.int64, 'RefCount'],
        ['Size', T.int64, 'Size'],
      ]),
    ),
    'UsageData',
    OMIT,
  ],
]);

export type InspectKind = 'container' | 'image' | 'network' | 'volume';

export const INSPECT_TYPES: Record<InspectKind, GoType> = {
  container: CONTAINER_INSPECT,
  image: IMAGE_INSPECT,
  network: NETWORK_INSPECT,
  volume: VOLUME_INSPECT,
};
