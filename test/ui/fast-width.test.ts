import { test } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { fastWidth } from '../../src/ui/fast-width.js';

test('fastWidth agrees with string-width on every character it claims, and on dashboard lines', () => {
  let claimed = 0;
  for (let c = 0; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // lone surrogates are not text
    const ch = String.fromCharCode(c);
    const w = fastWidth(ch);
    if (w < 0) continue;
    claimed++;
    assert.equal(w, stringWidth(ch), `U+${c.toString(16).padStart(4, '0')} ${ch}`);
  }
  assert.ok(claimed > 300, `only ${claimed} characters take the fast path`);
  const lines = [
    'web          nginx:1.27   running  Up 5 min    12.5%  ▁▂▃▅▇█▆▄  23MiB / 256MiB',
    '\u001B[32mrunning\u001B[39m \u001B[0;7m db \u001B[0m ↑↓ ● ▲ · … ─│┌',
    '\u001B[38;5;208morange\u001B[39m',
    '',
  ];
  for (const l of lines) assert.equal(fastWidth(l), stringWidth(l), JSON.stringify(l));
});

test('fastWidth leaves what it does not know to string-width', () => {
  for (const s of ['日本', '👍', 'e\u0301', 'tab\t', '\u001B]8;;http://x\u0007link\u001B]8;;\u0007', '\u001B[31', '\u001B[?25l', '◽'])
    assert.equal(fastWidth(s), -1, JSON.stringify(s));
});
