/**
 * The container-surface cases of test/cli/container-surface-cases.ts (healthchecks, update,
 * port, diff, export, events, system df) against a private dockerd, on the same Debian image:
 * through berth's Docker-API backend (`berth -H`) and through docker 20.10's own CLI as the
 * oracle. Same cases, same outcomes as on the embedded engine.
 */
import { test } from 'node:test';
import { casesOnDockerd } from './oracle.js';
import { NEEDS_ROOT } from '../helpers/tools.js';
import * as cases from '../cli/container-surface-cases.js';

const skip = NEEDS_ROOT;

const on = casesOnDockerd('berth-surface', skip);
const both = (fn: (e: cases.Engine, name: string) => void, name: string) => on.both((e, tag) => fn(e, `${name}-${tag}`));

test(
  'healthcheck: healthy then unhealthy; State.Health, ps, health=, health_status events',
  { skip },
  both((e, n) => cases.healthcheck(e, n), 'cs-hc'),
);
test(
  "healthcheck refusals: docker's messages, exit 125, nothing created",
  { skip },
  both((e) => cases.healthRefusals(e), 'cs-hr'),
);
test("update: limits in place, kept for the next start; docker's refusals", { skip }, both(cases.update, 'cs-upd'));
test("port: docker's forms", { skip }, both(cases.port, 'cs-port'));
test('diff: the same A/C/D lines as the embedded engine', { skip }, both(cases.diff, 'cs-diff'));
test('export → import → export: the same tree', { skip }, both(cases.exportRoundTrip, 'cs-exp'));
test("events: --since/--until, filters, docker's line and {{json .}}", { skip }, both(cases.events, 'cs-evt'));
test("system df: docker's table, --format, -v", { skip }, both(cases.systemDf, 'cs-df'));
