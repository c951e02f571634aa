/** The CLI line behind each action, and the help that lists it per key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionArgs, cliLine, helpCommand, hostArgs, logsCommand, shellWord, type CliAction } from '../../src/screens/action-command.js';
import { helpLines, scrollIndicator } from '../../src/screens/help-lines.js';
import { BINDINGS, type Command, type Scope } from '../../src/ui/bindings.js';
import { makeTheme } from '../../src/ui/theme.js';
import { stripAnsi } from '../../src/ui/text.js';

const embedded = { name: 'default', label: 'embedded' };

test('container actions read as the berth commands that do the same', () => {
  assert.equal(cliLine({ kind: 'stop', names: ['web'] }, embedded), 'berth stop web');
  assert.equal(cliLine({ kind: 'stop', names: ['web', 'db'] }), 'berth stop web db');
  assert.equal(cliLine({ kind: 'remove', names: ['web'], force: true }), 'berth rm -f web');
  assert.equal(cliLine({ kind: 'commit', name: 'web', ref: 'repo:tag' }), 'berth commit web repo:tag');
  assert.equal(cliLine({ kind: 'connect', network: 'backend', name: 'web' }), 'berth network connect backend web');
  assert.equal(cliLine({ kind: 'disconnect', network: 'backend', name: 'web' }), 'berth network disconnect backend web');
  assert.equal(cliLine({ kind: 'shell', name: 'web' }), 'berth exec -it web /bin/sh');
  assert.equal(cliLine({ kind: 'update', name: 'web', flags: ['--memory', '512m', '--cpus', '1.5'] }), 'berth update --memory 512m --cpus 1.5 web');
  assert.equal(cliLine({ kind: 'containerPrune' }), 'berth container prune -f');
  assert.deepEqual(actionArgs({ kind: 'kill', names: ['a'] }), ['kill', 'a']);
});

test('resource actions, with their options', () => {
  assert.equal(
    cliLine({ kind: 'networkCreate', name: 'n1', subnet: '10.9.0.0/24', gateway: '10.9.0.1' }),
    'berth network create --subnet 10.9.0.0/24 --gateway 10.9.0.1 n1',
  );
  assert.equal(cliLine({ kind: 'volumeCreate', labels: { a: 'b', flag: '' } }), 'berth volume create --label a=b --label flag');
  assert.equal(cliLine({ kind: 'imageRemove', ref: 'nginx:1.27' }), 'berth rmi nginx:1.27');
  assert.equal(cliLine({ kind: 'volumePrune' }), 'berth volume prune -f');
});

test('the host: nothing for the embedded engine, -H for a host given as -H, --context for a context', () => {
  assert.deepEqual(hostArgs(embedded), []);
  assert.deepEqual(hostArgs(undefined), []);
  assert.deepEqual(hostArgs({ name: 'admin@prod1', label: 'ssh://admin@prod1' }), ['-H', 'ssh://admin@prod1']);
  assert.deepEqual(hostArgs({ name: 'docker', label: 'unix:///run/docker.sock' }), ['-H', 'unix:///run/docker.sock']);
  assert.deepEqual(hostArgs({ name: '10.0.0.5:2376-2', label: 'tcp://10.0.0.5:2376' }), ['-H', 'tcp://10.0.0.5:2376']);
  assert.deepEqual(hostArgs({ name: 'prod', label: 'ssh://admin@prod1' }), ['--context', 'prod']);
  assert.equal(cliLine({ kind: 'stop', names: ['web'] }, { name: 'prod', label: 'ssh://admin@prod1' }), 'berth --context prod stop web');
  assert.equal(cliLine({ kind: 'stop', names: ['web'] }, { name: 'docker', label: 'unix:///run/docker.sock' }), 'berth -H unix:///run/docker.sock stop web');
});

test('words the shell would split or expand are quoted', () => {
  assert.equal(shellWord('web'), 'web');
  assert.equal(shellWord('a b'), "'a b'");
  assert.equal(shellWord("it's"), `'it'\\''s'`);
  assert.equal(shellWord(''), "''");
  assert.equal(cliLine({ kind: 'volumeCreate', labels: { note: 'two words' } }), "berth volume create --label 'note=two words'");
});

test('every container key with a CLI equivalent lists it in the help, at 120 and at 80 columns', () => {
  const theme = makeTheme(false);
  for (const b of BINDINGS.filter((x) => x.scope === 'containers')) {
    // Marks and grouping change the view, not a container: no CLI line.
    if (['mark', 'markAll', 'markProject', 'group'].includes(b.command)) continue;
    assert.ok(helpCommand(b.command, 'containers'), `no CLI line for ${b.command}`);
  }
  const wide = helpLines(theme, BINDINGS, 120).map(stripAnsi);
  assert.ok(
    wide.some((l) => /^ {2}s\s+stop \(asks first\)\s+\$ berth stop NAME$/.test(l)),
    wide.join('\n'),
  );
  const narrow = helpLines(theme, BINDINGS, 80).map(stripAnsi);
  for (const l of narrow) assert.ok(stripAnsi(l).length <= 80 || !l.includes('$ berth'), `too wide at 80: ${l}`);
  const i = narrow.findIndex((l) => /^ {2}n\s+connect/.test(l));
  assert.match(narrow[i + 1] ?? '', /^\s+\$ berth network connect NET NAME$/);
});

test('the scroll indicator says more follows, and where the window is', () => {
  assert.equal(scrollIndicator(0, 20, 90, true), '↓ more  lines 1-20 of 90  j/k PgUp/PgDn g/G scroll  esc closes');
  assert.match(scrollIndicator(70, 20, 90, true), /^↑ end {2}lines 71-90 of 90/);
  assert.match(scrollIndicator(10, 20, 90, false), /^\^ v more/);
  assert.equal(scrollIndicator(0, 20, 10, true), 'all 10 lines shown  esc closes');
});

test('the newer views read as berth commands too: pull, tag, cp, run form, logs options', () => {
  const docker = { name: 'docker', label: 'unix:///run/docker.sock' };
  assert.equal(cliLine({ kind: 'pull', ref: 'alpine:3.20' }, docker), 'berth -H unix:///run/docker.sock pull alpine:3.20');
  assert.equal(cliLine({ kind: 'tag', source: 'nginx:1.27', ref: 'web:2' }), 'berth tag nginx:1.27 web:2');
  assert.equal(cliLine({ kind: 'history', ref: 'nginx:1.27' }), 'berth history nginx:1.27');
  assert.equal(cliLine({ kind: 'copyOut', name: 'web', path: '/etc/my app.conf', dest: '/tmp/x' }), "berth cp 'web:/etc/my app.conf' /tmp/x");
  assert.equal(
    cliLine({ kind: 'copyIn', name: 'web', src: '/srv/conf', dir: '/etc' }, { name: 'prod', label: 'ssh://p' }),
    'berth --context prod cp /srv/conf web:/etc',
  );
  assert.equal(cliLine({ kind: 'runArgs', argv: ['run', '-d', '-e', 'A=two words', 'nginx'] }), "berth run -d -e 'A=two words' nginx");
  assert.equal(cliLine({ kind: 'logs', names: ['web'] }), 'berth logs -f web');
  assert.equal(cliLine({ kind: 'logs', names: ['web'], since: '5m', timestamps: true }), 'berth logs -f --since 5m -t web');
  assert.equal(cliLine({ kind: 'logs', names: ['web'], follow: false, since: '2026-12-06T10:00:00Z' }), 'berth logs --since 2026-12-06T10:00:00Z web');
  const onDocker = (a: CliAction) => cliLine(a, docker);
  assert.equal(
    logsCommand(['web'], { since: '', timestamps: false, file: '/tmp/my logs.txt' }, onDocker),
    "berth -H unix:///run/docker.sock logs web > '/tmp/my logs.txt'",
  );
  assert.equal(logsCommand(['web'], { since: '1h', timestamps: false }, onDocker), 'berth -H unix:///run/docker.sock logs -f --since 1h web');
  assert.equal(
    logsCommand(['web', 'db'], { since: '', timestamps: true, file: '/tmp/x' }, (a) => cliLine(a)),
    'berth logs -t web; berth logs -t db  (merged by time)',
  );
});

test('the help lists the CLI form of the images, logs and files keys', () => {
  const want: [Scope, Command, string][] = [
    ['images', 'pull', 'berth pull IMAGE'],
    ['images', 'tag', 'berth tag IMAGE REPO:TAG'],
    ['images', 'history', 'berth history IMAGE'],
    ['logs', 'since5m', 'berth logs -f --since 5m NAME'],
    ['logs', 'since1h', 'berth logs -f --since 1h NAME'],
    ['logs', 'timestamps', 'berth logs -f -t NAME'],
    ['logs', 'save', 'berth logs [-t] [--since WHEN] NAME > FILE'],
    ['files', 'copyOut', 'berth cp NAME:PATH DEST'],
    ['files', 'copyIn', 'berth cp SRC NAME:DIR'],
  ];
  for (const [scope, command, line] of want) assert.equal(helpCommand(command, scope), line, `${scope} ${command}`);
  assert.match(helpCommand('run', 'images') ?? '', /^berth run -d .* IMAGE$/);
  const lines = helpLines(makeTheme(false), BINDINGS, 120).map(stripAnsi);
  assert.ok(
    lines.some((l) => /^ {2}o\s+copy out to the host.*\$ berth cp NAME:PATH DEST$/.test(l)),
    lines.join('\n'),
  );
});
