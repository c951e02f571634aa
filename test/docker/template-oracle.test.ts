/**
 * docker as the oracle for templates: on one private dockerd, the same `inspect -f` and
 * `--format` templates go through docker's own CLI (`docker -H …`) and through `berth -H …`, and
 * both must print the same bytes, the same error text and exit with the same code.
 *
 * /usr/bin/docker (what setup.sh installs: Debian's docker.io) is the oracle for every case that
 * prints the same on every docker CLI since 20.10. berth follows the current CLI (v28, Go 1.24's
 * text/template): the cases only a newer CLI gets right (`--format json` on lists, the current
 * Go types' fields in `{{json .}}`, `range` over an integer, `else with`) run against a docker CLI
 * of version 23 or later when the machine has one (/usr/local/bin/docker), and are skipped, saying
 * so, when it has not.
 */
import { test, before, after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Result } from '../helpers/berth.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import { DockerOracle } from './oracle.js';

const skip = NEEDS_ROOT;
/** The private dockerd, docker's CLI (setup.sh's docker.io: a missing one fails the cases, never
 *  skips them) and berth -H on it. */
let o: DockerOracle;

const docker = (args: string[]): string => o.dockerOk(args);

/** The same command through docker (`bin`: a current CLI for some cases) and berth: the same
 *  bytes on stdout, the same stderr and exit code. */
const same = (args: string[], bin?: string): Result => o.same(args, bin ? { bin } : {});

/** docker's ps and ls join an object's labels in Go's random map order (berth sorts them): such
 *  lists (`k=v,k=v`, within a field) are compared as sets. */
const sortLabelLists = (s: string) => s.replace(/[^\s|",]+=[^\s|",]*(?:,[^\s|",]+=[^\s|",]*)+/g, (m) => m.split(',').sort().join(','));
const sameLabels = (args: string[]): Result => o.same(args, { stdout: sortLabelLists });

/** A docker CLI of version 23 or later, for the cases only a current one prints right. */
const modern = (() => {
  for (const bin of ['/usr/local/bin/docker', '/usr/bin/docker']) {
    if (!existsSync(bin)) continue;
    const v = spawnSync(bin, ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8', env: { PATH: process.env.PATH } }).stdout.trim();
    if (Number(v.split('.')[0]) >= 23) return bin;
  }
  return undefined;
})();
const skipModern = skip ?? (modern ? undefined : 'no docker CLI of version 23 or later on this machine (its --format json and current Go types)');

before(async () => {
  if (skip) return;
  o = new DockerOracle('berth-tpl');
  await o.start();
  await o.dockerd.importBusybox();
  docker(['network', 'create', '--subnet', '10.231.17.0/24', '--label', 'team=web', 'tplnet']);
  docker(['network', 'create', '--subnet', '10.231.18.0/24', 'tplnet2']);
  docker(['volume', 'create', '--label', 'keep=yes', 'tpldata']);
  docker(['volume', 'create', 'plainvol']);
  docker([
    'run',
    '-d',
    '--name',
    'web',
    '--net',
    'tplnet',
    '--label',
    'com.example.tier=front',
    '--label',
    'z=1',
    '--label',
    'html=<b>&amp;',
    '-v',
    'tpldata:/data',
    '-e',
    'MODE=test',
    'busybox',
    'sleep',
    '1d',
  ]);
  docker(['network', 'connect', 'tplnet2', 'web']);
  docker(['run', '-d', '--name', 'db', '--net', 'tplnet', '--label', 'com.example.tier=back', 'busybox', 'sleep', '1d']);
  docker(['create', '--name', 'made', '--net', 'tplnet2', 'busybox', 'true']);
});

after(async () => {
  await o?.stop();
});

// Templates as docker users write them against container inspect documents.
const CONTAINER_TEMPLATES = [
  '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
  '{{range $name, $n := .NetworkSettings.Networks}}{{$name}}={{$n.IPAddress}}/{{$n.IPPrefixLen}} gw {{$n.Gateway}};{{end}}',
  '{{.Name}} {{.State.Status}} {{.State.Running}} {{.State.Pid | printf "%d"}} {{.RestartCount}}',
  '{{if .State.Running}}up{{else}}down{{end}} {{with .State.Health}}{{.Status}}{{else}}no health{{end}}',
  '{{if eq .State.Status "running"}}R{{else if eq .State.Status "created"}}C{{else}}?{{end}}',
  '{{json .Config.Labels}}|{{json .Config.Cmd}}|{{json .State.Health}}|{{json .Mounts}}|{{json .State}}',
  '{{join .Config.Cmd " "}}|{{join .Args ","}}|{{join .Config.Env ";"}}',
  '{{index .Config.Labels "com.example.tier"}}|{{index .Config.Labels "missing"}}|{{.Config.Labels.z}}|{{.Config.Labels.missing}}',
  '{{len .NetworkSettings.Networks}} {{len .Config.Env}} {{len .Name}} {{len .Mounts}} {{len .State.Pid}}',
  '{{slice .Id 0 12}}|{{slice .ID 0 12}}|{{printf "%.12s" .Id}}|{{slice .Name 1}}',
  '{{upper .Name}}|{{title .State.Status}}|{{lower .Config.Image}}',
  '{{println .Name}}{{println .Image}}{{print .Config.Cmd .State.Pid}}',
  '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}} {{.Driver}}{{end}}',
  '{{range $i, $m := .Mounts}}{{$i}}:{{len $m.Source}}{{end}}',
  '{{$n := .NetworkSettings.Networks}}{{with index $n "tplnet"}}{{.IPAddress}}{{else}}not on tplnet{{end}}',
  '{{(index .NetworkSettings.Networks "tplnet2").IPAddress}}',
  '{{index .NetworkSettings.Networks "nope"}}|{{.NetworkSettings.Networks.nope}}',
  '{{range .NetworkSettings.Networks}}{{.Aliases}} {{.Links}} {{.IPAMConfig}} {{.MacAddress}};{{end}}',
  '{{.NetworkSettings.Ports}}|{{json .NetworkSettings.Ports}}|{{.HostConfig.PortBindings}}|{{.Config.ExposedPorts}}',
  '{{.HostConfig.NetworkMode}}|{{.HostConfig.RestartPolicy}}|{{.HostConfig.RestartPolicy.Name}}|{{.HostConfig.LogConfig}}',
  '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.NanoCPUs}} {{.HostConfig.PidsLimit}} {{.HostConfig.Privileged}} {{.HostConfig.Binds}}',
  '{{.Config.Env}}|{{.Config.Entrypoint}}|{{.Config.WorkingDir}}|{{.Config.User}}|{{.Config.Tty}}|{{.Config.Volumes}}',
  '{{.State.FinishedAt}} {{.State.ExitCode}} {{.State.Error}} {{.State.OOMKilled | not}}',
  '{{.Driver}} {{.Platform}} {{.Path}} {{.Args}} {{.GraphDriver.Name}} {{.SizeRw}} {{.ExecIDs}}',
  '{{eq .State.Status "running" "created"}} {{ne .RestartCount 0}} {{gt (len .Mounts) 0}} {{and .State.Running .State.Paused}} {{or .State.Paused .State.Running}}',
  '{{printf "%v|%s|%q|%5.5s|%-8s|%x" .State.Pid .Name .Config.Cmd .Name .State.Status .Name}}',
  '{{printf "%T %T %T" .Config .Config.Labels .State.Pid}}',
  '{{printf "%+v" .State}}',
  '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}',
  '{{range .Config.Volumes}}x{{else}}novol{{end}}|{{with .Config.Volumes}}has{{else}}none{{end}}',
  '{{range .Args}}[{{.}}]{{end}} {{index .Args 0}}',
  '{{.HostConfig.Dns}} {{.HostConfig.DNS}} {{.HostConfig.CpuShares}} {{.HostConfig.CPUShares}}',
  '{{.NetworkSettings.IPAddress}}|{{.NetworkSettings.Bridge}}|{{len .NetworkSettings.SandboxKey}}|{{.NetworkSettings.SandboxID | len}}',
  '{{$x := .State.Status}}{{$y := .Name}}{{$x = "changed"}}{{$x}} {{$y}} {{$.Id | len}}',
  '{{range $i, $e := .Config.Env}}{{if eq $i 1}}{{break}}{{end}}{{$e}}{{end}}',
  '{{- .Name -}}  |  {{- /* a comment */ -}}  {{ .State.Status }}',
  '{{html .Config.Labels.html}}|{{js .Config.Labels.html}}|{{urlquery .Config.Labels.html}}|{{json .Config.Labels.html}}',
  '{{.Foo}}',
  '{{.State.Nope}}',
  '{{.Config.Labels.tier.Foo}}',
  '{{.State.Health.Status}}',
  '{{index .Args 5}}',
  '{{.Name | nope}}',
  '{{.Name',
  '{{if .State.Running}}',
  '{{range .Name}}{{end}}',
];

test('inspect -f on running, attached and created containers: as docker prints it', { skip }, () => {
  for (const t of CONTAINER_TEMPLATES) same(['inspect', '-f', t, 'web', 'db', 'made']);
  // several objects at once, one of them missing; `container inspect --format`
  same(['inspect', '-f', '{{.Name}} {{.State.Status}}', 'web', 'nope', 'made']);
  same(['inspect', '-f', '{{.Foo}}', 'web', 'db']);
  same(['container', 'inspect', '--format', '{{.Name}}|{{json .Config.Labels}}', 'web', 'db']);
  same(['inspect', '--type', 'container', '-f', '{{.Id}}', 'web']);
  same(['inspect', 'web', 'db', 'made']);
});

test('inspect -f on networks, volumes and images', { skip }, () => {
  for (const t of [
    '{{.Name}} {{.Driver}} {{.Scope}} {{.Internal}} {{.EnableIPv6}} {{.Attachable}} {{.Ingress}} {{.ConfigOnly}}',
    '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}|{{.IPAM.Driver}}',
    '{{json .Labels}}|{{.Labels}}|{{.Options}}|{{index .Labels "team"}}',
    '{{range $id, $c := .Containers}}{{$c.Name}} {{$c.IPv4Address}};{{end}}|{{len .Containers}}',
    '{{.Created}}|{{json .Created}}|{{.Id | len}} {{.ID | len}}',
    '{{.Foo}}',
  ]) {
    for (const n of ['tplnet', 'tplnet2', 'host', 'none']) same(['network', 'inspect', '-f', t, n]);
  }
  for (const t of [
    '{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}} {{.Options}} {{len .Mountpoint}}',
    '{{json .}}',
    '{{index .Labels "keep"}}|{{.Labels.keep}}',
    '{{.Status}} {{.UsageData}}',
  ]) {
    same(['volume', 'inspect', '-f', t, 'tpldata', 'plainvol']);
    same(['inspect', '-f', t, 'tpldata']);
  }
  same(['inspect', '-f', '{{.Foo}}', 'tpldata']);
  same(['volume', 'inspect', 'tpldata', 'plainvol']);
  for (const t of [
    '{{.Id}} {{.ID}} {{.RepoTags}} {{.RepoDigests}} {{.Os}} {{.Architecture}} {{.Size}}',
    // (`{{json .Config}}` is in the current-CLI case: 20.10's CLI has a different Go type for it)
    '{{.Config.Cmd}}|{{.Config.Env}}|{{.Config.Labels}}',
    '{{json .RootFS}}|{{.RootFS.Type}}|{{len .RootFS.Layers}}|{{.GraphDriver.Name}}',
    '{{.Metadata}}|{{.Metadata.LastTagTime}}|{{json .Metadata}}',
    '{{.ContainerConfig}}',
    '{{.Foo}}',
  ]) {
    same(['image', 'inspect', '-f', t, 'busybox']);
  }
});

test('ps --format: templates, table, default table, Label, errors', { skip }, () => {
  for (const f of [
    '{{.Names}}|{{.Label "com.example.tier"}}|{{.Labels}}|{{.State}}|{{.Command}}|{{.Image}}|{{.Mounts}}|{{.LocalVolumes}}|{{.Ports}}',
    '{{.ID}}\\t{{.Names}}',
    'table {{.ID}}\\t{{.Names}}\\t{{.Label "com.example.tier"}}\\t{{.LocalVolumes}}',
    'table {{.Names}}\\t{{upper .State}}\\t{{json .Labels}}\\t{{truncate .Command 5}}\\t{{pad .Image 1 1}}',
    'table {{.Names}}{{if eq .State "running"}} (up){{end}}\\t{{.Status}}\\t{{.RunningFor}}',
    'table',
    'raw',
    '{{.Names}} {{.Status}}',
    '{{json .Names}} {{len .ID}} {{slice .ID 0 4}}',
    '{{.Foo}}',
    '{{.Names',
    '{{slice .ID 0 5}}',
    'table {{.Names}}\\t{{.Label "nope"}}',
  ]) {
    sameLabels(['ps', '-a', '--format', f]);
  }
  sameLabels(['ps', '-a']);
  sameLabels(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}']);
  sameLabels(['ps', '--filter', 'name=db', '--format', '{{.Names}} {{.Networks}}']);
});

test('images, network ls, volume ls --format', { skip }, () => {
  for (const f of ['{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}', 'table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.Digest}}', 'table', 'raw', '{{.Foo}}'])
    sameLabels(['images', '--format', f]);
  sameLabels(['images']);
  sameLabels(['images', '--digests']);
  for (const f of [
    '{{.Name}} {{.Driver}} {{.Scope}}',
    'table {{.Name}}\\t{{.Driver}}\\t{{.Label "team"}}\\t{{.Labels}}\\t{{.Internal}}',
    'table {{.ID}}\\t{{.Name}}',
    'raw',
    '{{.Name}} {{.CreatedAt}}',
    '{{.Foo}}',
  ])
    sameLabels(['network', 'ls', '--format', f]);
  sameLabels(['network', 'ls']);
  for (const f of ['{{.Name}} {{.Driver}} {{.Labels}} {{.Label "keep"}}', 'table {{.Name}}\\t{{.Driver}}\\t{{.Mountpoint}}\\t{{.Scope}}', 'raw', '{{.Foo}}'])
    sameLabels(['volume', 'ls', '--format', f]);
  sameLabels(['volume', 'ls']);
});

test("with a current docker CLI: --format json, today's Go types, Go 1.24 template features", { skip: skipModern }, () => {
  const bin = modern!;
  // (berth reports no container sizes: a template naming .Size would make docker ask for them.)
  // (web is on two networks, which docker's ps lists in Go's random map order: left out.)
  same(['ps', '-a', '--filter', 'name=db', '--filter', 'name=made', '--format', 'json'], bin);
  same(['ps', '-a', '--format', 'table {{.Names}}\\t{{.Platform}}\\t{{.Platform.OS}}'], bin);
  for (const f of ['json', '{{json .}}', 'table {{json .}}']) same(['volume', 'ls', '--format', f], bin);
  // docker volume inspect has only the typed volume: its error names today's Go type.
  same(['volume', 'inspect', '-f', '{{.Foo}}', 'tpldata', 'plainvol'], bin);
  same(['network', 'ls', '--format', '{{json .Name}} {{.CreatedAt}}'], bin);
  for (const f of [
    '{{json .}}',
    '{{json .NetworkSettings.Networks}}',
    '{{range .NetworkSettings.Networks}}{{.DNSNames}} {{.GwPriority}};{{end}} {{.HostConfig.ConsoleSize}} {{.ImageManifestDescriptor}}',
    '{{range $i := 3}}{{$i}}{{end}} {{with .State.Health}}h{{else with .State}}{{.Status}}{{end}}',
    '{{printf "%T" .Mounts}}',
    'json',
  ]) {
    same(['inspect', '-f', f, 'web', 'made'], bin);
  }
  same(['image', 'inspect', '-f', '{{json .}}', 'busybox'], bin);
  same(['image', 'inspect', '-f', '{{json .Config}}|{{.Config.Cmd}}', 'busybox'], bin);
  same(['network', 'inspect', '-f', '{{json .}}', 'tplnet2'], bin);
});
