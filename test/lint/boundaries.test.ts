/**
 * The import-boundary rule of eslint.config.js on small sources placed in each layer: what the
 * architecture forbids is reported, what it allows is not (the whole tree is linted by `npm test`
 * before any test runs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { SRC_ROOT } from '../helpers/berth.js';

const eslint = new ESLint({ cwd: SRC_ROOT });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(SRC_ROOT, file) });
  return r!.messages.filter((m) => m.ruleId === 'berth/boundaries').map((m) => m.message);
}

test('the engine, src/net and src/cgroups import no UI, CLI or API server code', async () => {
  for (const [file, spec] of [
    ['src/engine/x.ts', '../cli/main.js'],
    ['src/engine/containers/x.ts', '../../screens/hosts.js'],
    ['src/engine/x.ts', '../ui/text.js'],
    ['src/engine/x.ts', '../api/server.js'],
    ['src/net/x.ts', '../engine/api.js'],
    ['src/cgroups/x.ts', '../engine/errors.js'],
    ['src/cgroups/x.ts', '../cli/main.js'],
  ]) {
    const errors = await boundaryErrors(file!, `import { a } from '${spec}';\nexport const b = a;\n`);
    assert.equal(errors.length, 1, `${file} → ${spec}: ${errors.join('; ')}`);
    assert.match(errors[0]!, /must not import/);
  }
  // the engine's own modules, and src/net from the engine, are fine
  assert.deepEqual(
    await boundaryErrors(
      'src/engine/containers/x.ts',
      "import type { Engine } from '../api.js';\nimport { net } from '../../net/index.js';\nexport type E = Engine;\nexport const n = net;\n",
    ),
    [],
  );
});

test('the CLI, screens and API server reach the engine through its public surface only', async () => {
  for (const file of ['src/cli/x.ts', 'src/screens/x.tsx', 'src/api/x.ts']) {
    const bad = await boundaryErrors(
      file,
      "import { EmbeddedEngine } from '../engine/embedded.js';\nconst d = import('../engine/docker/engine.js');\nexport const x = [EmbeddedEngine, d];\n",
    );
    assert.equal(bad.length, 2, `${file}: ${bad.join('; ')}`);
    assert.match(bad[0]!, /public surface only .*src\/engine\/embedded\.ts/);
    const good = await boundaryErrors(
      file,
      "import { openEmbedded } from '../engine/index.js';\nimport type { Engine } from '../engine/api.js';\nexport type E = Engine;\nexport const o = openEmbedded;\n",
    );
    assert.deepEqual(good, [], file);
  }
  // a documented exception
  assert.deepEqual(await boundaryErrors('src/cli/x.ts', "import { ContextStore } from '../engine/docker/contexts.js';\nexport const c = ContextStore;\n"), []);
});
