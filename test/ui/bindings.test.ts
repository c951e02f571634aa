import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Key } from 'ink';
import { BINDINGS, SCOPE_TITLES, firstKey, matchCommand, type Scope } from '../../src/ui/bindings.js';
import { keyName } from '../../src/ui/key-name.js';

const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

test('keyName gives canonical names', () => {
  assert.equal(keyName('j', noKey), 'j');
  assert.equal(keyName('G', { ...noKey, shift: true }), 'G');
  assert.equal(keyName('', { ...noKey, downArrow: true }), 'down');
  assert.equal(keyName('c', { ...noKey, ctrl: true }), 'ctrl+c');
  assert.equal(keyName('', { ...noKey, tab: true, shift: true }), 'shift+tab');
  assert.equal(keyName('\r', { ...noKey, return: true }), 'enter');
  assert.equal(keyName('', { ...noKey, escape: true }), 'esc');
});

test('a key means one thing per scope (no ambiguous bindings)', () => {
  const seen = new Map<string, string>();
  for (const b of BINDINGS) {
    for (const k of b.keys) {
      const id = `${b.scope}:${k}`;
      assert.ok(!seen.has(id), `${id} bound to ${seen.get(id)} and ${b.command}`);
      seen.set(id, b.command);
    }
  }
});

test('pane keys do not shadow the list and global keys they sit over', () => {
  const shadowable: Scope[] = ['list', 'global'];
  for (const pane of ['containers', 'resources', 'images', 'networks', 'volumes'] as const) {
    for (const b of BINDINGS.filter((x) => x.scope === pane)) {
      for (const k of b.keys) {
        const under = BINDINGS.find((x) => shadowable.includes(x.scope) && x.keys.includes(k));
        assert.equal(under, undefined, `${pane} key ${k} (${b.command}) hides ${under?.command}`);
      }
    }
  }
});

test('matchCommand honours scope priority', () => {
  assert.equal(matchCommand('n', ['logs', 'global']), 'nextMatch');
  assert.equal(matchCommand('n', ['containers', 'list', 'global']), 'connect');
  assert.equal(matchCommand('n', ['dialog']), 'no');
  assert.equal(matchCommand('j', ['input']), undefined, 'text fields take letters');
  assert.equal(matchCommand('ctrl+c', ['containers', 'list', 'global']), 'quit');
  assert.equal(matchCommand('q', ['input']), undefined);
  assert.equal(firstKey('remove', ['containers']), 'd');
});

test('every binding has help text and every scope a title', () => {
  for (const b of BINDINGS) {
    assert.ok(b.help.length >= 2, b.command);
    assert.ok(SCOPE_TITLES[b.scope]);
  }
});

test('the brief’s keys are all bound', () => {
  const cmds = new Set(BINDINGS.map((b) => b.command));
  for (const c of [
    'quit',
    'help',
    'down',
    'up',
    'nextPane',
    'pane1',
    'open',
    'filter',
    'sort',
    'start',
    'stop',
    'restart',
    'pause',
    'kill',
    'remove',
    'commit',
    'connect',
    'disconnect',
    'shell',
    'attach',
    'logs',
    'prune',
    'create',
  ] as const) {
    assert.ok(cmds.has(c), c);
  }
  assert.equal(matchCommand('j', ['global']), 'down');
  assert.equal(matchCommand('down', ['global']), 'down');
  assert.equal(matchCommand('k', ['global']), 'up');
  assert.equal(matchCommand('tab', ['list']), 'nextPane');
});

test('a chunk of keys splits into key presses: Enter/Tab/Backspace apart, bound letters one by one', async () => {
  const { splitChunk } = await import('../../src/ui/use-commands.js');
  const none = () => false;
  assert.deepEqual(splitChunk('myimage:1\r', none), [{ text: 'myimage:1' }, { name: 'enter', text: '' }]);
  assert.deepEqual(splitChunk('ab\tc\u007F', none), [{ text: 'ab' }, { name: 'tab', text: '' }, { text: 'c' }, { name: 'backspace', text: '' }]);
  assert.deepEqual(
    splitChunk('jje', (c) => c === 'j' || c === 'e'),
    [{ text: 'j' }, { text: 'j' }, { text: 'e' }],
  );
});
