import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sparkline } from '../../src/ui/sparkline.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../../src/ui/glyphs.js';
import { ago, bytes, memBytes, percent, shortDuration, shortId } from '../../src/ui/format.js';
import { detectCaps, isInteractiveTerminal } from '../../src/ui/terminal-caps.js';
import { makeTheme } from '../../src/ui/theme.js';
import { editLine } from '../../src/ui/line-edit.js';

test('sparkline maps 0..max onto the levels, newest on the right', () => {
  const s = sparkline({ values: [0, 50, 100, 200], start: 0 }, 4, 1, 100, UNICODE_GLYPHS.spark);
  assert.equal(s, '▁▅██');
});

test('sparkline pads missing history with blanks on the left', () => {
  assert.equal(sparkline({ values: [100], start: 0 }, 3, 1, 100, UNICODE_GLYPHS.spark), '  █');
});

test('sparkline buckets take the peak and stay put between bucket boundaries', () => {
  const v = [10, 90, 10, 10, 10, 10];
  const a = sparkline({ values: v, start: 0 }, 3, 2, 100, ASCII_GLYPHS.spark);
  assert.equal(a.length, 3);
  // One more sample into the newest bucket: older buckets' glyphs do not move.
  const b = sparkline({ values: [...v, 10], start: 0 }, 3, 2, 100, ASCII_GLYPHS.spark);
  assert.equal(b.slice(0, 1), a.slice(1, 2));
});

test('ASCII sparkline uses only ASCII', () => {
  const s = sparkline({ values: [0, 20, 40, 60, 80, 100], start: 7 }, 6, 1, 100, ASCII_GLYPHS.spark);
  assert.match(s, /^[\x20-\x7E]+$/);
});

test('formatters', () => {
  assert.equal(bytes(0), '0B');
  assert.equal(bytes(12_345_678), '12MB');
  assert.equal(bytes(1500), '1.5kB');
  assert.equal(bytes(undefined), '-');
  assert.equal(memBytes(256 * 1024 * 1024), '256MiB');
  assert.equal(percent(3.14159), '3.1%');
  assert.equal(percent(123.4), '123%');
  assert.equal(percent(null), '-');
  assert.equal(shortDuration(59_000), '59s');
  assert.equal(shortDuration(3 * 3600_000), '3h');
  assert.equal(shortDuration(72 * 3600_000), '3d');
  assert.equal(ago('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z')), '5m ago');
  assert.equal(shortId(`sha256:${'a'.repeat(64)}`), 'aaaaaaaaaaaa');
});

test('caps: NO_COLOR, TERM=dumb and the locale decide', () => {
  assert.deepEqual(detectCaps({ LANG: 'en_US.UTF-8' }), { color: true, unicode: true });
  assert.deepEqual(detectCaps({ LANG: 'en_US.UTF-8', NO_COLOR: '1' }), { color: false, unicode: true });
  assert.deepEqual(detectCaps({ LANG: 'en_US.UTF-8', NO_COLOR: '' }), { color: true, unicode: true });
  assert.deepEqual(detectCaps({ LANG: 'C' }), { color: true, unicode: false });
  assert.deepEqual(detectCaps({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }), { color: true, unicode: false });
  assert.deepEqual(detectCaps({ TERM: 'dumb', LC_CTYPE: 'C.utf8' }), { color: false, unicode: true });
  assert.equal(isInteractiveTerminal({ isTTY: true }, { isTTY: false }), false);
  assert.equal(isInteractiveTerminal({ isTTY: true }, { isTTY: true }), true);
});

test('theme without colour emits attributes only', () => {
  const t = makeTheme(false);
  for (const tok of ['running', 'stopped', 'warning', 'accent', 'muted', 'success'] as const) assert.equal(t.paint(tok, 'x'), 'x');
  assert.equal(t.paint('selected', 'x'), '\u001B[7mx\u001B[0m');
  assert.equal(makeTheme(true).paint('running', 'x'), '\u001B[32mx\u001B[0m');
  assert.deepEqual(t.ink, {});
});

test('line editing', () => {
  assert.equal(editLine('ab', undefined, 'c'), 'abc');
  assert.equal(editLine('ab', 'deleteChar', ''), 'a');
  assert.equal(editLine('ab', undefined, 'x\ny'), 'abxy');
  assert.equal(editLine('ab', 'confirm', ''), 'ab');
});
