/**
 * The grouped containers list (issue 14): z groups by compose project, a heading per project
 * with its counts, Enter folds it, the container keys act on the whole project from its heading.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderDashboard, type Harness } from './render-dashboard.js';
import { FakeEngine } from '../fakes/fake-engine.js';
import { groupByProject, groupKey, headingText, isHeading, projectUsage, type ProjectHeading } from '../../src/screens/project-groups.js';
import type { ContainerRow } from '../../src/screens/containers-view.js';
import { UNICODE_GLYPHS, ASCII_GLYPHS } from '../../src/ui/glyphs.js';
import { parseCommandLine } from '../../src/screens/command-line.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const labels = (project: string, svc: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': svc });

/** The default fake containers (web, db, worker, old-job: no project) plus two compose projects. */
function composeEngine(): FakeEngine {
  const e = new FakeEngine();
  e.addContainer({ name: 'shop-web-1', image: 'docker.io/library/nginx:1.27', state: 'running', load: 0.1, labels: labels('shop', 'web') });
  e.addContainer({
    name: 'shop-db-1',
    image: 'docker.io/library/busybox:latest',
    state: 'running',
    load: 0.1,
    labels: labels('shop', 'db'),
    health: 'unhealthy',
  });
  e.addContainer({ name: 'shop-cache-1', image: 'docker.io/library/busybox:latest', state: 'exited', load: 0, labels: labels('shop', 'cache') });
  e.addContainer({ name: 'blog-app-1', image: 'docker.io/library/busybox:latest', state: 'running', load: 0.1, labels: labels('blog', 'app') });
  return e;
}
const stateOf = (e: FakeEngine, name: string) => [...e.containersById.values()].find((c) => c.name === name)?.state;
const lines = (f: string) => f.split('\n');
/** The table's rows: headings and container names, in order. */
const rowNames = (f: string) =>
  lines(f)
    .map((l) => /^\s*([▾▸] \S+|\S+)/.exec(l)?.[1] ?? '')
    .filter((n) => /^([▾▸] |shop-|blog-|web$|db$|worker$|old-job$)/.test(n));

test('pure: headings in project order, each over its shown rows, loose rows last; a folded project hides them', () => {
  const row = (name: string, project?: string, state: ContainerRow['state'] = 'running'): ContainerRow => ({
    id: name,
    names: [name],
    image: 'x',
    imageId: 'x',
    command: '',
    created: '',
    status: '',
    mounts: [],
    state,
    ports: [],
    networks: [],
    labels: project ? { 'com.docker.compose.project': project } : {},
  });
  const all = [row('z-loose'), row('b1', 'b'), row('a2', 'a', 'exited'), row('a1', 'a'), row('b2', 'b')];
  // `sorted` as applyView left it: the filter hid b2.
  const sorted = [all[0]!, all[3]!, all[1]!, all[2]!];
  const out = groupByProject(sorted, all, new Set());
  assert.deepEqual(
    out.map((i) => (isHeading(i) ? `# ${i.project} ${i.shown}/${i.members.length}` : i.names[0])),
    ['# a 2/2', 'a1', 'a2', '# b 1/2', 'b1', 'z-loose'],
  );
  const b = out[3] as ProjectHeading;
  assert.equal(headingText(b, UNICODE_GLYPHS), '▾ b  2 containers, 2 running, 1 match the filter');
  const folded = groupByProject(sorted, all, new Set([groupKey('a', undefined)]));
  assert.deepEqual(
    folded.map((i) => (isHeading(i) ? `# ${i.project}` : i.names[0])),
    ['# a', '# b', 'b1', 'z-loose'],
  );
  assert.equal(headingText(folded[0] as ProjectHeading, ASCII_GLYPHS), '+ a  2 containers, 1 running');
  // No project at all: the list as it was.
  assert.deepEqual(groupByProject([all[0]!], [all[0]!], new Set()), [all[0]]);
  assert.deepEqual(parseCommandLine(':group'), { kind: 'group' });
  assert.equal(parseCommandLine('group x').kind, 'error');
});

test('z groups by project: headings with counts and health, services, loose containers last; z again ungroups', async () => {
  h = await renderDashboard({ engine: composeEngine(), columns: 120 });
  assert.doesNotMatch(h.frame(), /▾/);
  await h.press('z');
  const f = h.frame();
  assert.deepEqual(rowNames(f), ['▾ blog', 'blog-app-1', '▾ shop', 'shop-cache-1', 'shop-db-1', 'shop-web-1', 'db', 'old-job', 'web', 'worker']);
  assert.match(f, /▾ blog  1 container, 1 running/);
  assert.match(f, /▾ shop  3 containers, 2 running, 1 unhealthy/);
  // The heading names the project; the column next to the name says the service.
  assert.match(f, /SERVICE/);
  assert.doesNotMatch(f, /PROJECT/);
  assert.match(lines(f).find((l) => l.includes('shop-web-1')) ?? '', /^ {2}shop-web-1\s+web\s/);
  // Remembered across panes (the session's setting).
  await h.press('2', '1');
  assert.match(h.frame(), /▾ shop/);
  await h.press('z');
  assert.doesNotMatch(h.frame(), /▾ shop/);
  assert.match(h.frame(), /PROJECT/);
  // :group does the same.
  await h.press(':', ...'group', KEY.enter);
  assert.match(h.frame(), /▾ shop/);
});

test("a heading sums its running containers' CPU and memory from their samples", async () => {
  const row = (id: string, state: ContainerRow['state']): ContainerRow => ({
    id,
    names: [id],
    image: 'x',
    imageId: 'x',
    command: '',
    created: '',
    status: '',
    mounts: [],
    state,
    ports: [],
    networks: [],
    labels: { 'com.docker.compose.project': 'p' },
  });
  const sample = (cpuPercent: number, memUsage: number) => ({ sample: { cpuPercent, memUsage } }) as never;
  const head = groupByProject([row('a', 'running'), row('b', 'running'), row('c', 'exited')], [], new Set())[0] as ProjectHeading;
  const ctx = (stats: [string, never][]) => ({ stats: new Map(stats), now: 0, spark: () => '' });
  assert.equal(projectUsage(head, ctx([])), undefined);
  // the exited container's last sample does not count
  const use = projectUsage(
    head,
    ctx([
      ['a', sample(12.5, 100 << 20)],
      ['b', sample(3, 28 << 20)],
      ['c', sample(50, 1 << 30)],
    ]),
  );
  assert.deepEqual(use, { cpu: 15.5, mem: 128 << 20 });
  assert.equal(headingText(head, UNICODE_GLYPHS, false, use), '▾ p  3 containers, 2 running  CPU 16%  MEM 128MiB');
  // on screen, once the sampler has run
  h = await renderDashboard({ engine: composeEngine(), columns: 120 });
  await h.press('z');
  await h.tick(2); // CPU% needs two samples
  await h.waitFor('usage on the headings', (f) => /▾ shop  3 containers, 2 running, 1 unhealthy  CPU \S+%  MEM \S+/.test(f));
});

test('enter on a heading folds and unfolds its project; sorting works inside the groups', async () => {
  h = await renderDashboard({ engine: composeEngine(), columns: 120 });
  await h.press('z', 'g', KEY.enter);
  assert.match(h.frame(), /▸ blog  1 container/);
  assert.deepEqual(rowNames(h.frame()).slice(0, 3), ['▸ blog', '▾ shop', 'shop-cache-1']);
  await h.press(KEY.enter);
  assert.deepEqual(rowNames(h.frame()).slice(0, 3), ['▾ blog', 'blog-app-1', '▾ shop']);
  // The rows sort by name; reversed, the project's containers reverse under their heading.
  await h.press('O');
  const shop = rowNames(h.frame());
  const i = shop.indexOf('▾ shop');
  assert.deepEqual(shop.slice(i, i + 4), ['▾ shop', 'shop-web-1', 'shop-db-1', 'shop-cache-1']);
});

test('s on a heading stops exactly the project, after one question naming it; the status line gives the berth line', async () => {
  const engine = composeEngine();
  h = await renderDashboard({ engine, columns: 120 });
  await h.press('z', 'j', 'j', 's');
  assert.match(h.frame(), /Stop 2 containers of project shop\? shop-db-1, shop-web-1/);
  await h.press('y');
  await h.waitFor('stopped', (f) => f.includes('Stopped 2 containers'));
  assert.match(h.frame(), /\$ berth stop shop-db-1 shop-web-1/);
  assert.equal(stateOf(engine, 'shop-web-1'), 'exited');
  assert.equal(stateOf(engine, 'shop-db-1'), 'exited');
  for (const other of ['blog-app-1', 'web', 'db']) assert.equal(stateOf(engine, other), 'running', other);
  await h.waitFor('heading updated', (f) => /▾ shop  3 containers, 0 running/.test(f));
});

test('d on a heading asks once, naming the project, how many and that running ones are killed; n removes nothing', async () => {
  const engine = composeEngine();
  h = await renderDashboard({ engine, columns: 120 });
  const before = engine.containersById.size;
  await h.press('z', 'j', 'j', 'd');
  assert.match(h.frame(), /Remove 3 containers of project shop\? shop-cache-1, shop-db-1, shop-web-1 2 running: killed first\./);
  await h.press('n');
  assert.equal(engine.containersById.size, before);
  await h.press('d', 'y');
  await h.waitFor('removed', (f) => f.includes('Removed 3 containers'));
  assert.match(h.frame(), /\$ berth rm -f shop-cache-1 shop-db-1 shop-web-1/);
  assert.equal(engine.containersById.size, before - 3);
  await h.waitFor('heading gone', (f) => !/shop/.test(f.split('Removed')[0]!));
  assert.match(h.frame(), /▾ blog/);
});

test('l on a heading opens the project merged logs; keys for one container say so instead of acting', async () => {
  h = await renderDashboard({ engine: composeEngine(), columns: 120 });
  await h.press('z', 'j', 'j', 'l');
  await h.waitFor('merged logs', (f) => /logs project shop/.test(f));
  assert.match(h.frame(), /shop-web-1 log line/);
  assert.match(h.frame(), /shop-db-1 log line/);
  assert.doesNotMatch(h.frame(), /blog-app-1 log line/);
  await h.press(KEY.esc);
  await h.waitFor('list', (f) => /▾ shop/.test(f));
  for (const [key, cmd] of [
    ['e', 'shell'],
    ['c', 'commit'],
    ['F', 'files'],
    ['u', 'update'],
  ] as const) {
    await h.press(key);
    assert.match(h.frame(), new RegExp(`${cmd} \\(${key}\\) works on one container, not on project shop`), cmd);
    assert.doesNotMatch(h.frame(), /Commit|Live limits|entries/);
  }
  // space marks the project's containers.
  await h.press(' ');
  assert.match(h.frame(), /\[3 marked\]/);
});

test('the filter works inside groups: a heading counts what matches, a project with no match has none', async () => {
  h = await renderDashboard({ engine: composeEngine(), columns: 120 });
  await h.press('z', '/', ...'web', KEY.enter);
  const f = h.frame();
  assert.deepEqual(rowNames(f), ['▾ shop', 'shop-web-1', 'web']);
  assert.match(f, /▾ shop  3 containers, 2 running, 1 unhealthy, 1 match the filter/);
  // The heading still acts on the whole project.
  await h.press('g', 'r');
  assert.match(h.frame(), /Restart 3 containers of project shop\?/);
  await h.press('n', '/', KEY.backspace, KEY.backspace, KEY.backspace, ...'service=db', KEY.enter);
  assert.deepEqual(rowNames(h.frame()), ['▾ shop', 'shop-db-1']);
});

test('NO_COLOR: a heading is told by its arrow and bold, not by colour', async () => {
  h = await renderDashboard({ engine: composeEngine(), columns: 80, rows: 24, caps: { color: false, unicode: true } });
  await h.press('z', 'j');
  // Not selected (the selection is on blog-app-1): bold, the arrow first.
  assert.match(h.raw(), /\u001B\[1m▾ shop {2}3 containers/);
  assert.match(h.frame(), /^▾ blog/m);
  assert.doesNotMatch(h.raw(), /\u001B\[3\dm/);
});

test('z with no compose project says so and leaves the list as it was', async () => {
  h = await renderDashboard({ columns: 120 });
  const before = rowNames(h.frame());
  await h.press('z');
  assert.match(h.frame(), /no container here has a com\.docker\.compose\.project label/);
  assert.deepEqual(rowNames(h.frame()), before);
  assert.doesNotMatch(h.frame(), /SERVICE|▾/);
});
