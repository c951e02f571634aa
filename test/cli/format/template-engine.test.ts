/**
 * The template engine on typed Go values: what Go's text/template prints and where it fails
 * depends on the types (struct vs map, nil pointers, nil slices, interfaces, methods). Expected
 * texts are Go 1.24's (checked against docker 28's CLI on the same shapes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromAny, fromJS } from '../../../src/cli/format/template/convert.js';
import { DOCKER_FUNCS } from '../../../src/cli/format/template/docker-funcs.js';
import { Template, TemplateError } from '../../../src/cli/format/template/index.js';
import { mapOf, mk, ptrTo, sliceOf, structType, T, type GoType, type Value } from '../../../src/cli/format/template/types.js';

// A small typed document: a struct with a pointer to a struct, a nil pointer, slices, maps,
// an interface-valued map, an embedded struct and a method taking an argument.
const INNER = structType('demo.Inner', [
  { name: 'Status', type: T.string },
  { name: 'Pid', type: T.int },
  { name: 'Running', type: T.bool },
]);
const BASE = structType('demo.Base', [{ name: 'ID', type: T.string, json: 'Id' }]);
const DOC: GoType = structType('demo.Doc', [
  { name: 'Base', type: ptrTo(BASE), embedded: true },
  { name: 'Name', type: T.string },
  { name: 'State', type: ptrTo(INNER) },
  { name: 'Health', type: ptrTo(INNER), omitempty: true },
  { name: 'Args', type: sliceOf(T.string) },
  { name: 'Empty', type: sliceOf(T.string) },
  { name: 'Labels', type: mapOf(T.string, T.string) },
  { name: 'Nets', type: mapOf(T.string, ptrTo(INNER)) },
  { name: 'Extra', type: mapOf(T.string, T.any) },
  { name: 'Size', type: T.int64 },
  { name: 'Ratio', type: T.float64 },
  { name: 'secret', type: T.string, unexported: true },
]);
DOC.methods = {
  Greet: { params: [T.string], variadic: false, result: T.string, hasError: false, call: (_r, a) => mk(T.string, `hello ${a[0]!.v as string}`) },
};

const raw = {
  Id: 'abc123',
  Name: '/web',
  State: { Status: 'running', Pid: 42, Running: true },
  Args: ['sleep', '1d'],
  Labels: { tier: 'front', a: '1' },
  Nets: { b: { Status: 'x', Pid: 2 }, a: { Status: 'y', Pid: 1 } },
  Extra: { n: 3, s: 'str', list: [1, 'two'], obj: { k: 'v' }, nul: null },
  Size: 1024,
  Ratio: 0.5,
};
const doc = () => fromJS(DOC, raw);

function run(tpl: string, dot: Value = doc(), missingKey: 'default' | 'error' = 'default'): string {
  return Template.parse(tpl, DOCKER_FUNCS).execute(dot, DOCKER_FUNCS, missingKey);
}

function fails(tpl: string, message: string | RegExp, dot: Value = doc()): void {
  assert.throws(
    () => run(tpl, dot),
    (e: unknown) => {
      assert.ok(e instanceof TemplateError, `not a TemplateError: ${String(e)}`);
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    },
    tpl,
  );
}

const cases: [string, string][] = [
  // fields, promoted fields of an embedded pointer, structs and pointers
  ['{{.Name}}', '/web'],
  ['{{.ID}}', 'abc123'],
  ['{{.State}}', '{running 42 true}'],
  ['{{.State.Pid}} {{.State.Running}}', '42 true'],
  ['{{.Health}}', '<nil>'],
  ['{{printf "%v" .State}}', '&{running 42 true}'],
  ['{{printf "%+v" .State}}', '&{Status:running Pid:42 Running:true}'],
  ['{{printf "%#v" .Args}}', '[]string{"sleep", "1d"}'],
  ['{{printf "%T %T %T %T" .State .Args .Labels .Extra}}', '*demo.Inner []string map[string]string map[string]interface {}'],
  // slices and maps print as Go prints them; nil ones too
  ['{{.Args}}|{{.Empty}}|{{.Labels}}', '[sleep 1d]|[]|map[a:1 tier:front]'],
  // Go prints the addresses of pointers nested in a value (0xc…); berth prints their targets.
  ['{{.Nets}}', 'map[a:&{y 1 false} b:&{x 2 false}]'],
  ['{{.Extra}}', 'map[list:[1 two] n:3 nul:<nil> obj:map[k:v] s:str]'],
  // missing map keys: <no value> by field, the element's zero value by index
  ['{{.Labels.nope}}|{{index .Labels "nope"}}|{{index .Labels "tier"}}', '<no value>||front'],
  ['{{.Extra.nope}}|{{index .Extra "nope"}}|{{.Extra.nul}}', '<no value>|<no value>|<no value>'],
  ['{{index .Nets "nope"}}', '<nil>'],
  // ranges: slices, maps in key order, else, break/continue, variables
  ['{{range .Args}}[{{.}}]{{end}}', '[sleep][1d]'],
  ['{{range $k, $v := .Nets}}{{$k}}={{$v.Pid}};{{end}}', 'a=1;b=2;'],
  ['{{range .Empty}}x{{else}}empty{{end}}', 'empty'],
  ['{{range $i, $a := .Args}}{{if $i}}{{break}}{{end}}{{$a}}{{end}}', 'sleep'],
  ['{{range .Args}}{{if eq . "sleep"}}{{continue}}{{end}}{{.}}{{end}}', '1d'],
  ['{{range $i := 3}}{{$i}}{{end}}', '012'],
  ['{{$n := 0}}{{range .Args}}{{$n = .}}{{end}}{{$n}}', '1d'],
  // if / else if / with / else with
  ['{{if .Health}}h{{else if .State.Running}}up{{else}}down{{end}}', 'up'],
  ['{{with .Health}}{{.Status}}{{else with .State}}{{.Status}}{{end}}', 'running'],
  ['{{with .State}}{{$.Name}} {{.Pid}}{{end}}', '/web 42'],
  ['{{if and .State.Running (gt .State.Pid 0)}}ok{{end}}', 'ok'],
  ['{{if or .Health .Empty}}x{{else}}neither{{end}}', 'neither'],
  // pipelines, parentheses, functions
  ['{{.Name | printf "%q" | len}}', '6'],
  ['{{(index .Nets "a").Status}}', 'y'],
  ['{{len .Args}} {{len .Labels}} {{len .Name}}', '2 2 4'],
  ['{{slice .Name 1}} {{slice .Args 1}}', 'web [1d]'],
  ['{{join .Args " "}}', 'sleep 1d'],
  ['{{json .State}}', '{"Status":"running","Pid":42,"Running":true}'],
  [
    '{{json .}}',
    '{"Id":"abc123","Name":"/web","State":{"Status":"running","Pid":42,"Running":true},"Args":["sleep","1d"],"Empty":null,"Labels":{"a":"1","tier":"front"},"Nets":{"a":{"Status":"y","Pid":1,"Running":false},"b":{"Status":"x","Pid":2,"Running":false}},"Extra":{"list":[1,"two"],"n":3,"nul":null,"obj":{"k":"v"},"s":"str"},"Size":1024,"Ratio":0.5}',
  ],
  ['{{.Greet "you"}}', 'hello you'],
  ['{{"you" | .Greet}}', 'hello you'],
  ['{{upper .State.Status}} {{title "a b"}} {{lower "AB"}}', 'RUNNING A B ab'],
  ['{{.Size}} {{.Ratio}} {{printf "%.1f" .Ratio}}', '1024 0.5 0.5'],
  ['{{eq .State.Pid 42}} {{eq .Name "/web" "x"}} {{ne .Size 1}}', 'true true true'],
];

test('typed values print and evaluate as in Go', () => {
  for (const [tpl, want] of cases) assert.equal(run(tpl), want, tpl);
});

test("errors name the node, its position and Go's reason", () => {
  fails('{{.Nope}}', 'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type demo.Doc');
  fails('{{.State.Nope}}', 'template: :1:8: executing "" at <.State.Nope>: can\'t evaluate field Nope in type *demo.Inner');
  fails('{{.Health.Status}}', 'template: :1:9: executing "" at <.Health.Status>: nil pointer evaluating *demo.Inner.Status');
  fails('{{.secret}}', 'template: :1:2: executing "" at <.secret>: secret is an unexported field of struct type demo.Doc');
  fails('{{.Name.Foo}}', 'template: :1:7: executing "" at <.Name.Foo>: can\'t evaluate field Foo in type string');
  fails('{{.Greet}}', 'template: :1:2: executing "" at <.Greet>: wrong number of args for Greet: want 1 got 0');
  fails('{{.Name "x"}}', 'template: :1:2: executing "" at <.Name>: Name has arguments but cannot be invoked as function');
  fails('{{.Labels.tier "x"}}', 'template: :1:9: executing "" at <.Labels.tier>: tier is not a method but has arguments');
  fails('{{eq .Size "x"}}', 'template: :1:2: executing "" at <eq .Size "x">: error calling eq: incompatible types for comparison');
  fails('{{lt .Args 1}}', 'template: :1:2: executing "" at <lt .Args 1>: error calling lt: invalid type for comparison');
  fails('{{index .Args 5}}', 'template: :1:2: executing "" at <index .Args 5>: error calling index: index out of range: 5');
  fails('{{index .Args 2}}', 'template: :1:2: executing "" at <index .Args 2>: error calling index: reflect: slice index out of range');
  fails('{{range .State}}{{end}}', 'template: :1:8: executing "" at <.State>: range can\'t iterate over {running 42 true}');
  fails('{{join .Labels ","}}', 'template: :1:7: executing "" at <.Labels>: wrong type for value; expected []string; got map[string]string');
  fails('{{upper .Size}}', 'template: :1:8: executing "" at <.Size>: wrong type for value; expected string; got int64');
  fails('{{template "x"}}', 'template: :1:11: executing "" at <{{template "x"}}>: template "x" not defined');
  fails('{{nil}}', 'template: :1:2: executing "" at <nil>: nil is not a command');
  fails('{{$x := 1}}{{$x 2}}', 'template: :1:13: executing "" at <$x>: can\'t give argument to non-function $x');
  fails('\n\n  {{.Nope}}', 'template: :3:4: executing "" at <.Nope>: can\'t evaluate field Nope in type demo.Doc');
});

test("missingkey=error (docker's raw inspect fallback) fails on absent keys", () => {
  const m = fromAny({ a: { b: 1 } }, 'number');
  assert.equal(run('{{.a.b}}', m, 'error'), '1');
  assert.throws(() => run('{{.a.c}}', m, 'error'), /map has no entry for key "c"/);
  assert.throws(() => run('{{.x.y}}', m, 'error'), /map has no entry for key "x"/);
  // json.Number is a string kind: len counts its digits, eq with an int is a type error
  assert.equal(run('{{len .a.b}} {{printf "%T" .a.b}}', fromAny({ a: { b: 12345 } }, 'number'), 'error'), '5 json.Number');
});

test("parse errors are Go's and carry the line", () => {
  const parseFails = (tpl: string, message: string) =>
    assert.throws(
      () => Template.parse(tpl, DOCKER_FUNCS),
      (e: unknown) => e instanceof TemplateError && e.kind === 'parse' && e.message === message,
      tpl,
    );
  parseFails('{{.Name', 'template: :1: unclosed action');
  parseFails('{{.Name\n', 'template: :2: unclosed action started at :1');
  parseFails('{{foo}}', 'template: :1: function "foo" not defined');
  parseFails('{{if 1}}', 'template: :1: unexpected EOF');
  parseFails('{{end}}', 'template: :1: unexpected {{end}}');
  parseFails('{{$x}}', 'template: :1: undefined variable "$x"');
  parseFails('{{break}}', 'template: :1: {{break}} outside {{range}}');
  parseFails('{{range 1}}{{else}}{{else}}{{end}}', 'template: :1: expected end; found {{else}}');
  parseFails('{{"a" | "b"}}', 'template: :1: non executable command in pipeline stage 2');
  parseFails('{{}}', 'template: :1: missing value for command');
  parseFails('{{#}}', 'template: :1: unexpected "#" in command');
  parseFails('{{.A#}}', "template: :1: bad character U+0023 '#'");
  parseFails('{{"abc}}', 'template: :1: unterminated quoted string');
  parseFails('{{/* x', 'template: :1: unclosed comment');
  parseFails('{{/* x */ .A}}', 'template: :1: comment ends before closing delimiter');
  parseFails('{{(1}}', 'template: :1: unclosed left paren');
  parseFails('{{1)}}', 'template: :1: unexpected right paren');
  parseFails('{{08}}', 'template: :1: integer overflow: "08"');
  parseFails('{{1.2.3}}', 'template: :1: unexpected ".3" in operand');
  parseFails('{{"\\q"}}', 'template: :1: invalid syntax');
  parseFails('a\nb\n{{.X}}{{', 'template: :3: unclosed action');
});

test('trim markers, comments, raw strings and literals', () => {
  const d = fromAny({});
  assert.equal(run('a  {{- "b" -}}  c', d), 'abc');
  assert.equal(run('a {{/* gone */}} b', d), 'a  b');
  assert.equal(run('a {{- /* gone */ -}} b', d), 'ab');
  assert.equal(run('{{`a\\n` }}{{"\\t"}}', d), 'a\\n\t');
  assert.equal(run("{{1e6}} {{0x10}} {{'a'}} {{1_000}} {{-1}} {{1.5}} {{2i}} {{true}}", d), '1e+06 16 97 1000 -1 1.5 (0+2i) true');
  assert.equal(run('{{define "t"}}[{{.}}]{{end}}{{template "t" 1}}{{block "b" 2}}<{{.}}>{{end}}', d), '[1]<2>');
});

test("printf: Go's verbs, flags, widths and error annotations", () => {
  const d = fromAny({});
  const p: [string, string][] = [
    ['{{printf "%5.2f|%-6s|%6s|%x|%X|%q|%v|%d|%t" 3.14159 "ab" "é" "hi" 255 "a\\"b" 1.0 42 true}}', ' 3.14|ab    |     é|6869|FF|"a\\"b"|1|42|true'],
    ['{{printf "%e %g %G %.3g %08.3f %+d % d" 1234.5678 1e21 1e-7 1234.5678 -3.14159 5 5}}', '1.234568e+03 1e+21 1E-07 1.23e+03 -003.142 +5  5'],
    ['{{printf "%.0f %.0f %.0f %.2f" 0.5 1.5 2.5 0.125}}', '0 2 2 0.12'],
    ['{{printf "%c %U %#U %o %#x %b" 65 0x1F600 65 8 255 5}}', "A U+1F600 U+0041 'A' 10 0xff 101"],
    ['{{printf "%s %d" 1 "x"}}', '%!s(int=1) %!d(string=x)'],
    ['{{printf "%d %d" 1}}|{{printf "%d" 1 2}}|{{printf "%z" 1}}|{{printf "%"}}', '1 %!d(MISSING)|1%!(EXTRA int=2)|%!z(int=1)|%!(NOVERB)'],
    ['{{printf "%[2]d %[1]d" 1 2}}|{{printf "%*d|%-*d|" 4 1 4 2}}|{{printf "%.*f" 2 3.14159}}', '2 1|   1|2   ||3.14'],
    ['{{printf "%v %v" nil (index (split "a" ",") 0)}}', '<nil> a'],
    ['{{print 1 2 "a" "b" 3 nil}}|{{println "a" 1}}', '1 2ab3 <nil>|a 1\n'],
    [
      '{{html "<a href=\'x\'>&\\"</a>"}}|{{js "a<b>&=\'\\\\"}}|{{urlquery "a b&c/é"}}',
      "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;|a\\u003Cb\\u003E\\u0026\\u003D\\'\\\\|a+b%26c%2F%C3%A9",
    ],
  ];
  for (const [tpl, want] of p) assert.equal(run(tpl, d), want, tpl);
});

test('strings are bytes: len, index and slice count bytes; widths count runes', () => {
  const d = fromAny({ s: 'héllo' });
  assert.equal(run('{{len .s}} {{index .s 1}} {{slice .s 0 1}} {{printf "%7s|" .s}}', d), '6 195 h   héllo|');
  assert.equal(run('{{printf "%q" (slice .s 1 2)}}', d), '"\\xc3"');
  assert.equal(run('{{range split .s ""}}[{{.}}]{{end}}', d), '[h][é][l][l][o]');
});

test("docker's functions: json without HTML escaping, join, split, pad, truncate, title", () => {
  const d = fromAny({ l: ['a', 'b'] });
  assert.equal(run('{{json "<a>&"}} {{json 1.5}} {{json nil}}', d), '"<a>&" 1.5 null');
  assert.equal(run('{{json (split "x,y" ",")}} {{join (split "x,y" ",") "+"}}', d), '["x","y"] x+y');
  assert.equal(run('[{{pad "x" 1 2}}][{{pad "" 1 2}}][{{truncate "abcdef" 3}}][{{truncate "ab" 3}}]', d), '[ x  ][][abc][ab]');
  assert.equal(run('{{title "hello wORLD x-y"}}', d), 'Hello WORLD X-Y');
  assert.throws(() => run('{{join .l ","}}', d), /wrong type for value; expected \[\]string; got \[\]interface \{\}/);
  assert.throws(() => run('{{truncate "abc" -1}}', d), /error calling truncate: runtime error: slice bounds out of range \[:-1\]/);
});

test('execution stops at an error; the output written before it is kept for the caller', () => {
  try {
    run('ab{{.Nope}}cd');
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof TemplateError);
    assert.equal(e.kind, 'exec');
    assert.equal(e.partial, 'ab');
  }
});

test('template depth and nesting limits are errors, not crashes', () => {
  fails('{{define "r"}}{{template "r"}}{{end}}{{template "r"}}', /exceeded maximum template depth \(1000\)/, fromAny({}));
  assert.throws(() => Template.parse(`{{${'('.repeat(1500)}1${')'.repeat(1500)}}}`, DOCKER_FUNCS), /max expression depth exceeded/);
});
