/**
 * Templates against docker's own output: test/fixtures/templates/context-ls-docker.json holds
 * what docker's CLI (v28, Go 1.24's text/template) printed for each template through `docker
 * context ls --format` (one row, the default context). The same templates through berth's list
 * formatter on that row must give the same bytes, the same error text and the same exit code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT_KIND, type ContextRow } from '../../../src/cli/format/contexts.js';
import { FormatFailure } from '../../../src/cli/format/failure.js';
import { formatList } from '../../../src/cli/format/list.js';
import { SRC_ROOT } from '../../helpers/berth.js';

interface Recorded {
  docker: string;
  row: ContextRow;
  results: { format: string; stdout: string; stderr: string; code: number }[];
}

const fixture = JSON.parse(readFileSync(join(SRC_ROOT, 'test/fixtures/templates/context-ls-docker.json'), 'utf8')) as Recorded;

function berth(format: string): { stdout: Buffer; stderr: string; code: number } {
  try {
    return { stdout: formatList([fixture.row], format, CONTEXT_KIND), stderr: '', code: 0 };
  } catch (e) {
    if (e instanceof FormatFailure) return { stdout: Buffer.alloc(0), stderr: `${e.message}\n`, code: e.exitCode };
    throw e;
  }
}

test(`the recording comes from a current docker (${fixture.docker}) and covers many templates`, () => {
  assert.match(fixture.docker, /^2[3-9]\.|^[3-9]\d\./);
  assert.ok(fixture.results.length >= 400, `${fixture.results.length} cases`);
  assert.ok(fixture.results.filter((r) => r.code === 0).length > 150);
  assert.ok(fixture.results.filter((r) => r.code !== 0).length > 150);
});

test('every recorded template: same stdout bytes, error text and exit code as docker', () => {
  const failures: string[] = [];
  for (const r of fixture.results) {
    const got = berth(r.format);
    const want = Buffer.from(r.stdout, 'base64');
    if (!got.stdout.equals(want) || got.stderr !== r.stderr || got.code !== r.code) {
      failures.push(
        `${JSON.stringify(r.format)}\n  docker: ${JSON.stringify(want.toString('latin1'))} ${JSON.stringify(r.stderr)} ${r.code}\n  berth:  ${JSON.stringify(got.stdout.toString('latin1'))} ${JSON.stringify(got.stderr)} ${got.code}`,
      );
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${fixture.results.length} differ:\n${failures.join('\n')}`);
});
