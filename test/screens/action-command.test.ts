/** The CLI line behind each action, and the help that lists it per key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionArgs, cliLine, helpCommand, hostArgs, shellWord } from '../../src/screens/action-command.js';
import { helpLines, scrollIndicator } from '../../src/screens/help-lines.js';
import { BINDINGS } from '../../src/ui/bindings.js';
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
    if (['mark', 'markAll', 'markProject'].includes(b.command)) continue;
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
