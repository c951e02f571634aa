/**
 * Property tests: whatever a user types as --format, and whatever data a document holds, the
 * engine either produces output or fails with a TemplateError (which the CLI reports with
 * docker's message and exit code) — never another exception, a hang or a crash.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CONTAINER_KIND, EMPTY_CONTAINER_ROW } from '../../../src/cli/format/contexts.js';
import { FormatFailure } from '../../../src/cli/format/failure.js';
import { formatInspect } from '../../../src/cli/format/inspect.js';
import { formatList } from '../../../src/cli/format/list.js';
import { fromAny } from '../../../src/cli/format/template/convert.js';
import { DOCKER_FUNCS } from '../../../src/cli/format/template/docker-funcs.js';
import { Template, TemplateError } from '../../../src/cli/format/template/index.js';

/** Runs a template; returns the output or the TemplateError; anything else fails the property. */
function attempt(tpl: string, data: unknown): string | TemplateError {
  try {
    return Template.parse(tpl, DOCKER_FUNCS).execute(fromAny(data, 'number'), DOCKER_FUNCS, 'error');
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
}

// Pieces templates are made of, so random sequences reach the parser's and executor's depths.
const token = fc.constantFrom(
  '{{',
  '}}',
  '{{-',
  '-}}',
  ' ',
  '\n',
  '.',
  '.A',
  '.B.C',
  '.A.x',
  '$',
  '$x',
  '$y',
  ':=',
  '=',
  ',',
  '|',
  '(',
  ')',
  'if',
  'else',
  'end',
  'range',
  'with',
  'break',
  'continue',
  'define',
  'template',
  'block',
  'nil',
  'true',
  'false',
  '"s"',
  '"a\\tb"',
  '`raw`',
  "'c'",
  '0',
  '1',
  '-1',
  '2.5',
  '1e3',
  '0x1F',
  '1i',
  '1+2i',
  '08',
  '1_0',
  'len',
  'index',
  'slice',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'and',
  'or',
  'not',
  'print',
  'printf',
  'println',
  'html',
  'js',
  'urlquery',
  'call',
  'json',
  'join',
  'split',
  'upper',
  'lower',
  'title',
  'pad',
  'truncate',
  '"%d"',
  '"%v %s"',
  '"%[2]*.[1]f"',
  '"%q"',
  '/*',
  '*/',
  '#',
  'é',
  '\u0000',
  '"\\xff"',
  'text',
);
const tokens = fc.array(token, { maxLength: 24 }).map((t) => t.join(''));

/** Literal text that cannot open or close an action. */
const plain = (n: number) => fc.string({ maxLength: n }).map((s) => s.replace(/[{}]/g, '_'));

/** Well-formed actions over the sample data, combined: these must mostly succeed. */
const field = fc.constantFrom('.A', '.B', '.B.C', '.L', '.M', '.N', '.F', '.Z', '$', '.');
const expr = fc.oneof(
  field,
  field.map((f) => `len ${f}`),
  fc.tuple(field, fc.constantFrom('0', '1', '"k"')).map(([f, i]) => `index ${f} ${i}`),
  fc.tuple(field, field).map(([a, b]) => `eq ${a} ${b}`),
  field.map((f) => `json ${f}`),
  field.map((f) => `printf "%v|%5.2q" ${f} ${f}`),
  field.map((f) => `${f} | print`),
);
const action = fc.oneof(
  expr.map((e) => `{{${e}}}`),
  fc.tuple(expr, plain(5)).map(([e, t]) => `{{if ${e}}}${t}{{else}}-{{end}}`),
  fc.tuple(field, expr).map(([f, e]) => `{{range $i, $v := ${f}}}{{$i}}={{${e}}};{{else}}none{{end}}`),
  fc.tuple(field, expr).map(([f, e]) => `{{with ${f}}}{{${e}}}{{end}}`),
  plain(8),
);
const wellFormed = fc.array(action, { maxLength: 6 }).map((a) => a.join(''));

const sample = { A: 'text', B: { C: [1, 'two', null], D: true }, L: ['x', 'y'], M: { k: 'v', n: 1.5 }, N: 42, F: 0.25, Z: null };
const json = fc.jsonValue({ maxDepth: 3 });

test('arbitrary text as a template: output or a TemplateError, nothing else', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), json, (tpl, data) => {
      attempt(tpl, data);
    }),
    { numRuns: 3000 },
  );
});

test('random sequences of template tokens: output or a TemplateError, nothing else', () => {
  fc.assert(
    fc.property(tokens, json, (tpl, data) => {
      const r = attempt(tpl, data);
      if (r instanceof TemplateError) assert.match(r.message, /^template: /);
    }),
    { numRuns: 5000 },
  );
});

test('well-formed templates on varied data: only Go-shaped failures', () => {
  fc.assert(
    fc.property(wellFormed, fc.oneof(fc.constant(sample as unknown), json), (tpl, data) => {
      const r = attempt(tpl, data);
      if (r instanceof TemplateError) assert.match(r.message, /^template: :\d+:\d+: executing "" at <[^>]*>: /);
    }),
    { numRuns: 3000 },
  );
  // The same templates on the sample document do succeed (a sanity check that they are well formed).
  assert.equal(attempt('{{range $i, $v := .L}}{{$i}}={{$v}};{{end}}{{with .B}}{{json .C}}{{end}}', sample), '0=x;1=y;[1,"two",null]');
});

test('text without actions passes through unchanged', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 80, unit: 'binary' }).filter((s) => !s.includes('{{')),
      (s) => {
        assert.equal(attempt(s, null), s);
      },
    ),
    { numRuns: 500 },
  );
});

test("list and inspect formatting: output or a FormatFailure with docker's prefix", () => {
  fc.assert(
    fc.property(fc.oneof(tokens, fc.string({ maxLength: 40 })), (format) => {
      for (const run of [
        () => formatList([EMPTY_CONTAINER_ROW], format, CONTAINER_KIND, { validateOn: EMPTY_CONTAINER_ROW }),
        () => formatList([EMPTY_CONTAINER_ROW], `table ${format}`, CONTAINER_KIND),
        () => formatInspect([{ kind: 'container', doc: { Id: 'x', State: { Pid: 1 } } }], format).out,
      ]) {
        try {
          assert.ok(Buffer.isBuffer(run()));
        } catch (e) {
          if (!(e instanceof FormatFailure)) throw e;
          assert.match(e.message, /^(template parsing error|failed to (parse|execute) template): template: /);
          assert.ok(e.exitCode === 1 || e.exitCode === 64);
        }
      }
    }),
    { numRuns: 1500 },
  );
});
