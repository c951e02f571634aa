/** The logs view's pure parts: time keys, merge order, search rows with context, wrap, saved text. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultSaveName,
  expandSavePath,
  insertByTime,
  savedText,
  searchRows,
  timeKey,
  validSince,
  wrapText,
  type SourcedLine,
} from '../../src/screens/logs-model.js';

const line = (source: number, time: string, text: string): SourcedLine => ({ source, time, text, stream: 'stdout', complete: true, key: timeKey(time) });

describe('logs model', () => {
  test('time keys order RFC 3339 nano times whatever their trailing zeros', () => {
    const times = ['2026-12-06T10:00:05Z', '2026-12-06T10:00:05.1Z', '2026-12-06T10:00:05.000000002Z', '2026-12-06T10:00:04.999999999Z'];
    const sorted = [...times].sort((a, b) => (timeKey(a) < timeKey(b) ? -1 : 1));
    assert.deepEqual(sorted, ['2026-12-06T10:00:04.999999999Z', '2026-12-06T10:00:05Z', '2026-12-06T10:00:05.000000002Z', '2026-12-06T10:00:05.1Z']);
    assert.equal(timeKey('2026-12-06T11:00:05+01:00'), timeKey('2026-12-06T10:00:05Z'));
  });

  test('lines of several containers merge in time order, equal times in arrival order', () => {
    const buf: SourcedLine[] = [];
    for (const l of [
      line(0, '2026-12-06T10:00:01Z', 'a1'),
      line(0, '2026-12-06T10:00:03Z', 'a3'),
      line(1, '2026-12-06T10:00:02Z', 'b2'),
      line(1, '2026-12-06T10:00:03Z', 'b3'),
      line(1, '2026-12-06T10:00:00.5Z', 'b0'),
    ])
      insertByTime(buf, l);
    assert.deepEqual(
      buf.map((l) => l.text),
      ['b0', 'a1', 'b2', 'a3', 'b3'],
    );
  });

  test('search rows keep context lines around each match and separate groups', () => {
    const texts = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const rows = searchRows(texts, [3, 5, 15], 2, 'x');
    assert.deepEqual(
      rows,
      [1, 2, 3, 4, 5, 6, 7]
        .map((line) => ({ line }))
        .concat(
          [{ gap: true } as never],
          [13, 14, 15, 16, 17].map((line) => ({ line })),
        ),
    );
    assert.deepEqual(searchRows(texts, [0, 19], 0, 'x'), [{ line: 0 }, { gap: true }, { line: 19 }]);
    assert.equal(searchRows(texts, [], 2, '').length, 20);
  });

  test('wrap splits at the width; saved text is what berth logs prints', () => {
    assert.deepEqual(wrapText('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
    assert.deepEqual(wrapText('abc', 4), ['abc']);
    const lines = [
      line(0, '2026-12-06T10:00:01Z', 'one'),
      { ...line(1, '2026-12-06T10:00:02Z', 'par'), complete: false },
      line(1, '2026-12-06T10:00:02Z', 'tial'),
    ];
    assert.equal(savedText(lines, { timestamps: false }), 'one\npartial\n');
    assert.equal(savedText(lines.slice(0, 1), { timestamps: true }), '2026-12-06T10:00:01Z one\n');
    assert.equal(savedText(lines.slice(0, 2), { timestamps: false, prefixes: ['a | ', 'b | '] }), 'a | one\nb | par');
  });

  test('since and save paths', () => {
    for (const ok of ['10m', '1h30m', '90s', '2026-12-06T10:00:00Z', '1733480000']) assert.ok(validSince(ok), ok);
    for (const bad of ['10 minutes', 'soon', '5x']) assert.ok(!validSince(bad), bad);
    assert.equal(expandSavePath('x.log', '/root'), '/root/x.log');
    assert.equal(expandSavePath('~/d/x.log', '/root'), '/root/d/x.log');
    assert.equal(expandSavePath('/tmp/x.log', '/root'), '/tmp/x.log');
    assert.equal(defaultSaveName(['web', 'db'], new Date('2026-12-06T19:45:01Z')), 'berth-logs-web+db-20261206-194501.log');
  });
});
