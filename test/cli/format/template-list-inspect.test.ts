/**
 * docker's formatting around the template engine: `table` (headers rendered from the template
 * on the column names with the header functions, docker's tabwriter), `json`, the ps check on an
 * empty row, inspect's typed attempt and raw fallback, and the exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_KIND, EMPTY_CONTAINER_ROW, VOLUME_KIND, type ContainerRow } from '../../../src/cli/format/contexts.js';
import { formatDocument } from '../../../src/cli/format/document.js';
import { FormatFailure } from '../../../src/cli/format/failure.js';
import { formatInspect, inspectOne, parseInspectTemplate } from '../../../src/cli/format/inspect.js';
import { formatList } from '../../../src/cli/format/list.js';
import { tabwrite } from '../../../src/cli/format/tabwriter.js';
import { toBytes } from '../../../src/cli/format/template/bytes.js';

const row = (over: Partial<ContainerRow>): ContainerRow => ({ ...EMPTY_CONTAINER_ROW, Image: 'busybox', Command: '"sleep 1d"', ...over });
const rows = [
  row({
    ID: 'a68370cff2d3',
    Names: 'web',
    State: 'running',
    Status: 'Up 2 minutes',
    Labels: 'tier=front,z=1',
    labels: { tier: 'front', z: '1', 'com.example.role-name': 'x<y>' },
  }),
  row({ ID: '8cd365129fb6', Names: 'stopped-one', State: 'created', Status: 'Created', labels: {} }),
];
const list = (format: string | undefined, r = rows) => formatList(r, format, CONTAINER_KIND, { validateOn: EMPTY_CONTAINER_ROW }).toString('utf8');

function failure(f: () => unknown): FormatFailure {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatFailure) return e;
    throw e;
  }
  assert.fail('no FormatFailure');
}

test("tabwriter: docker's columns (minwidth 10, padding 3), blocks ended by lines without tabs", () => {
  assert.equal(tabwrite(toBytes('A\tBB\tC\nlonger cell\tx\ty\n')), 'A             BB        C\nlonger cell   x         y\n');
  // A tab-terminated empty cell is still padded; the last cell of a line is not.
  assert.equal(tabwrite(toBytes('a\t\nbb\tc\n')), 'a         \nbb        c\n');
  // A line without tabs ends the column block: the lines after it are aligned on their own.
  assert.equal(tabwrite(toBytes('a\tb\nplain\nvery long name\tc\n')), 'a         b\nplain\nvery long name   c\n');
  // Wide characters count two columns.
  assert.equal(tabwrite(toBytes('日本語テキスト\tx\nab\ty\n')), toBytes('日本語テキスト   x\nab               y\n'));
});

test("no --format and `table`: docker's default table", () => {
  const want =
    'CONTAINER ID   IMAGE     COMMAND      CREATED   STATUS         PORTS     NAMES\n' +
    'a68370cff2d3   busybox   "sleep 1d"             Up 2 minutes             web\n' +
    '8cd365129fb6   busybox   "sleep 1d"             Created                  stopped-one\n';
  assert.equal(list(undefined), want);
  assert.equal(list('table'), want);
});

test("table: the header is the template run on column names; docker's functions leave them alone", () => {
  assert.equal(
    list('table {{.Names}}\\t{{upper .State}}\\t{{json .ID}}'),
    'NAMES         STATE     CONTAINER ID\nweb           RUNNING   "a68370cff2d3"\nstopped-one   CREATED   "8cd365129fb6"\n',
  );
  // Label's header is the last dotted part of its argument, '-' and '_' as spaces.
  assert.equal(list('table {{.Names}}\\t{{.Label "com.example.role-name"}}'), 'NAMES         role name\nweb           x<y>\nstopped-one   \n');
  // A field the header map lacks heads its column <no value>.
  assert.equal(
    list('table {{.Names}}\\t{{.Size}}\\t{{.Platform}}\\t{{.FieldsUsed}}'),
    'NAMES         SIZE      PLATFORM   <no value>\nweb           0B        <nil>      map[]\nstopped-one   0B        <nil>      map[]\n',
  );
  // No rows: the header alone.
  assert.equal(list('table {{.ID}}', []), 'CONTAINER ID\n');
});

test('templates without table: one output per row, \\t and \\n as typed become tab and newline', () => {
  assert.equal(list('{{.Names}}\\t{{.State}}'), 'web\trunning\nstopped-one\tcreated\n');
  assert.equal(list('  {{.Names}}:{{.Label "tier"}}  '), 'web:front\nstopped-one:\n');
  assert.equal(list('{{.Names}}\\n'), 'web\n\nstopped-one\n\n');
  assert.equal(list('{{if eq .State "running"}}{{.Names}}{{end}}'), 'web\n\n');
});

test("json: one object per row, the row's methods with keys sorted, HTML escaped as docker's marshaller does", () => {
  const lines = list('json').trim().split('\n');
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]!);
  assert.deepEqual(Object.keys(first), [
    'Command',
    'CreatedAt',
    'ID',
    'Image',
    'Labels',
    'LocalVolumes',
    'Mounts',
    'Names',
    'Networks',
    'Platform',
    'Ports',
    'RunningFor',
    'Size',
    'State',
    'Status',
  ]);
  assert.equal(first.Platform, null);
  assert.equal(list('{{json .Labels}}', [row({ Labels: 'a=<b>', labels: {} })]), '"a=<b>"\n');
  assert.match(list('json', [row({ Labels: 'a=<b>', labels: {} })]), /"Labels":"a=\\u003cb\\u003e"/);
});

test("raw: docker's raw layout", () => {
  assert.equal(
    list('raw', [rows[0]!]),
    'container_id: a68370cff2d3\nimage: busybox\ncommand: "sleep 1d"\ncreated_at: 1970-01-01 00:00:00 +0000 UTC\nstate: running\nstatus: Up 2 minutes\nnames: web\nlabels: tier=front,z=1\nports:\n\n',
  );
});

test("errors: docker's messages and exit code 1; ps checks the template even with no rows", () => {
  let f = failure(() => list('{{.Foo}}', []));
  assert.equal(f.message, 'failed to execute template: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.ContainerContext');
  assert.equal(f.exitCode, 1);
  f = failure(() => list('{{.Names'));
  assert.equal(f.message, 'failed to parse template: template: :1: unclosed action');
  f = failure(() => list('{{slice .ID 0 5}}'));
  assert.match(f.message, /^failed to execute template: .*error calling slice: index out of range: 5$/);
  f = failure(() => formatList([], '{{.Foo', VOLUME_KIND));
  assert.equal(f.message, 'template parsing error: template: :1: unclosed action');
  f = failure(() =>
    formatList(
      [
        {
          Name: 'v',
          Driver: 'local',
          Scope: 'local',
          Mountpoint: '',
          Labels: '',
          Links: 'N/A',
          Size: 'N/A',
          Group: 'N/A',
          Availability: 'N/A',
          Status: 'N/A',
          labels: {},
        },
      ],
      '{{.Foo}}',
      VOLUME_KIND,
    ),
  );
  assert.equal(f.message, 'template parsing error: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.volumeContext');
  f = failure(() => list('{{.trunc}}'));
  assert.match(f.message, /trunc is an unexported field of struct type \*formatter\.ContainerContext$/);
});

// ---------------------------------------------------------------- inspect

const containerDoc = {
  Id: 'abc123',
  Name: '/web',
  State: { Status: 'running', Running: true, Pid: 18916, StartedAt: '2024-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' },
  Config: { Cmd: ['sleep', '1d'], Labels: { tier: 'front' }, Env: ['A=1'] },
  HostConfig: { NetworkMode: 'appnet', Dns: [] },
  NetworkSettings: { Ports: {}, Networks: { appnet: { IPAddress: '10.77.0.2', Aliases: ['abc'] }, other: { IPAddress: '172.17.0.2' } } },
  Mounts: [{ Type: 'volume', Name: 'data', Source: '/v', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' }],
};

const inspect = (format: string, doc: unknown = containerDoc, raw?: boolean) => {
  const [out, err] = inspectOne(parseInspectTemplate(format), { kind: 'container', doc, ...(raw === false ? { raw } : {}) });
  return err ?? Buffer.from(out, 'latin1').toString('utf8');
};

test("inspect: the typed document (docker's Go types) first", () => {
  assert.equal(inspect('{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}'), '10.77.0.2 172.17.0.2 ');
  assert.equal(inspect('{{.State}}'), '{running true false false false false 18916 0  2024-01-01T00:00:00Z 0001-01-01T00:00:00Z <nil>}');
  assert.equal(
    inspect('{{.ID}}|{{.Config.Cmd}}|{{.HostConfig.Memory}}|{{.State.Health}}|{{.Config.Volumes}}|{{.HostConfig.ConsoleSize}}'),
    'abc123|[sleep 1d]|0|<nil>|map[]|[0 0]',
  );
  assert.equal(inspect('{{.Mounts}}'), '[{volume data /v /data local z true }]');
  assert.equal(
    inspect('{{json .NetworkSettings.Networks.appnet}}'),
    '{"IPAMConfig":null,"Links":null,"Aliases":["abc"],"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"10.77.0.2","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}',
  );
  assert.equal(inspect('{{index .Config.Labels "nope"}}|{{.Config.Labels.nope}}'), '|<no value>');
});

test('inspect: when the typed attempt fails, the raw JSON with missing keys as errors', () => {
  // .Id is the JSON name (the Go field is ID): only the raw document has it.
  assert.equal(inspect('{{.Id}}'), 'abc123');
  // json.Number: len counts digits.
  assert.equal(inspect('{{len .State.Pid}}'), '5');
  // .Dns is JSON's name for the Go field DNS.
  assert.equal(inspect('{{.HostConfig.Dns}}'), '[]');
  assert.equal(inspect('{{.Foo}}'), 'template parsing error: template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"');
  assert.equal(inspect('{{.Config.Nope}}'), 'template parsing error: template: :1:9: executing "" at <.Config.Nope>: map has no entry for key "Nope"');
  // docker volume inspect has no raw fallback: the typed error is the one reported.
  assert.equal(
    inspect('{{.Foo}}', containerDoc, false),
    'template parsing error: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type container.InspectResponse',
  );
});

test('inspect output: per document, a newline when nothing printed; json is one compact array', () => {
  const two = [
    { kind: 'container' as const, doc: containerDoc },
    { kind: 'container' as const, doc: { ...containerDoc, Name: '/db' } },
  ];
  assert.equal(formatInspect(two, '{{.Name}}').out.toString(), '/web\n/db\n');
  assert.equal(formatInspect([], '{{.Name}}').out.toString(), '\n');
  assert.equal(formatInspect(two, 'json').out.toString().split('\n').length, 2);
  assert.deepEqual(JSON.parse(formatInspect(two, undefined).out.toString()), [containerDoc, { ...containerDoc, Name: '/db' }]);
  const f = failure(() => parseInspectTemplate('{{.Name'));
  assert.equal(f.exitCode, 64);
  assert.equal(f.message, 'template parsing error: template: :1: unclosed action');
});

test('version/info documents: json, missing names are errors, partial output kept', () => {
  assert.equal(formatDocument({ A: 1, B: { C: 'x' } }, '{{.A}} {{.B.C}} {{eq .A 1}}').out.toString(), '1 x true\n');
  assert.equal(formatDocument({ A: 1 }, 'json').out.toString(), '{"A":1}\n');
  const r = formatDocument({ A: 1 }, 'x{{.Nope}}', { name: 'version' });
  assert.equal(r.out.toString(), 'x\n');
  assert.equal(r.error, 'template: version:1:3: executing "version" at <.Nope>: map has no entry for key "Nope"');
  assert.equal(failure(() => formatDocument({}, '{{')).exitCode, 64);
});
