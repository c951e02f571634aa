import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { NOT_A_TERMINAL, runDashboard } from '../../src/screens/run-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';

test('without a terminal runDashboard refuses instead of drawing', async () => {
  const out = new PassThrough() as unknown as NodeJS.WriteStream;
  const inp = new PassThrough() as unknown as NodeJS.ReadStream;
  await assert.rejects(runDashboard(new FakeEngine(), { engineLabel: 'x', stdout: out, stdin: inp }), new RegExp(NOT_A_TERMINAL));
});
