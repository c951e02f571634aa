/**
 * The Ink patches draw what Ink would: checked on a terminal model (screen-model) by drawing
 * random lines and frames both ways — Ink's own Output#get and line update against fast-rows,
 * line-diff and the frame writer — and comparing the cells (character and style) on screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffLine } from '../../src/ui/line-diff.js';
import { readFileSync } from 'node:fs';
import { frameUpdate, installLineWriter, lineWriterStats } from '../../src/ui/ink-line-writer.js';
import { fastRowStats, installFastRows } from '../../src/ui/ink-fast-output.js';
import { inkVersion, installInkPatches, TESTED_INK, untested } from '../../src/ui/ink-patches.js';
import { scanLine, trimPlainBlanks } from '../../src/ui/sgr-scan.js';
import { Screen } from './screen-model.js';

const entry = import.meta.resolve('ink');
type OutputT = {
  write(x: number, y: number, text: string, o: { transformers: ((s: string, i: number) => string)[] }): void;
  clip(c: object): void;
  unclip(): void;
  get(): { output: string; height: number };
};
const Output = ((await import(new URL('./output.js', entry).href)) as { default: new (o: { width: number; height: number }) => OutputT }).default;
const inkLineUpdate = ((await import(new URL('./line-update.js', entry).href)) as { default: (a: string, b: string, c: number) => string }).default;
// Ink's own frame builder, kept before the patch replaces it.
const inkGet = Output.prototype.get;
assert.equal(installFastRows(Output), true);

const OPEN = ['\u001B[32m', '\u001B[1;36m', '\u001B[7m', '\u001B[90m', '\u001B[38;5;208m', '\u001B[1m', '\u001B[44m'];
// Not the bare reset ESC[m: Ink 8's tokenizer does not read it as one (it keeps the colour
// after it), and nothing on the dashboard writes it.
const CLOSE = ['\u001B[0m', '\u001B[39m', '\u001B[22m', '\u001B[27m', '\u001B[49m'];
const CHARS = [...'abcXYZ019 %/.', ' ', ' ', '▁', '▂', '█', '…', '●', '·'];

/** A styled line: runs of characters, some painted. */
const line = (max: number) =>
  fc
    .array(
      fc.record({
        text: fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 12 }),
        open: fc.option(fc.constantFrom(...OPEN)),
        close: fc.constantFrom(...CLOSE),
      }),
      { maxLength: 8 },
    )
    .map((runs) => runs.map((r) => (r.open ? `${r.open}${r.text.join('')}${r.close}` : r.text.join(''))).join(''))
    .map((s) => {
      // Keep within the width (cut at a cell), ending in the default style.
      const scan = scanLine(s)!;
      return scan.width <= max ? `${s}\u001B[0m` : `${s.slice(0, scan.at[max]!)}\u001B[0m`;
    });

function drawn(columns: number, rows: number, lines: readonly string[]): string[] {
  const s = new Screen(columns, rows);
  s.write(lines.join('\n'));
  return s.view();
}

test('line-diff turns any line into any other, cell for cell and style for style', () => {
  const columns = 60;
  fc.assert(
    fc.property(line(columns), line(columns), (prev, next) => {
      const s = new Screen(columns, 1);
      s.write(prev);
      s.write(diffLine(prev, next, columns)!);
      assert.deepEqual(s.view(), drawn(columns, 1, [next]));
    }),
    { numRuns: 500 },
  );
});

test('line-diff writes only the changed figure of a row, not the rest of it', () => {
  const prev = 'app-1   running   12%  \u001B[36m▁▂▃\u001B[0m  64MiB / 256MiB';
  const next = 'app-1   running   13%  \u001B[36m▁▂▃\u001B[0m  64MiB / 256MiB';
  const out = diffLine(prev, next, 80)!;
  assert.equal(out, '\u001B[20G3');
});

test('line-diff leaves lines it cannot measure (wide characters) to Ink', () => {
  assert.equal(diffLine('漢字 a', '漢字 b', 80), undefined);
});

test('frame writer: only changed lines, reached by cursor moves, end on the last line', () => {
  const columns = 50;
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 8 })
        .chain((n) => fc.tuple(fc.array(line(columns), { minLength: n, maxLength: n }), fc.array(line(columns), { minLength: n, maxLength: n }))),
      ([prev, next]) => {
        const s = new Screen(columns, prev.length);
        s.write(prev.join('\n'));
        s.write(frameUpdate(prev, next, columns, inkLineUpdate));
        assert.equal(s.row, prev.length - 1);
        assert.deepEqual(s.view(), drawn(columns, prev.length, next));
      },
    ),
    { numRuns: 300 },
  );
});

test("fast rows build the frame Ink's Output builds: clips, overlaps, transformers, wide characters", () => {
  const width = 40;
  const height = 6;
  const upper = (s: string) => s.replaceAll('a', 'A'); // text only: escapes hold no 'a'
  const paint = (s: string) => `\u001B[35m${s}\u001B[39m`;
  const oddLines = (s: string, i: number) => (i % 2 ? s.replaceAll('b', 'B') : s); // by line index, as Ink passes it
  const op = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('write' as const),
        x: fc.integer({ min: -3, max: 42 }),
        y: fc.integer({ min: -1, max: 6 }),
        text: fc.oneof(
          { weight: 5, arbitrary: line(30) },
          { weight: 2, arbitrary: fc.array(line(30), { minLength: 2, maxLength: 4 }).map((l) => l.join('\n')) },
          { weight: 1, arbitrary: fc.constantFrom('漢字', 'a\nb c', '') },
        ),
        tf: fc.constantFrom(0, 1, 2, 3),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('clip' as const),
        x1: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        x2: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        y1: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        y2: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'unclip' as const }) },
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 14 }), (ops) => {
      const o = new Output({ width, height });
      let depth = 0;
      for (const p of ops) {
        if (p.kind === 'write') o.write(p.x, p.y, p.text, { transformers: p.tf === 0 ? [] : p.tf === 1 ? [upper] : p.tf === 2 ? [paint] : [oddLines] });
        else if (p.kind === 'clip') {
          o.clip({ x1: p.x1, x2: p.x2, y1: p.y1, y2: p.y2 });
          depth++;
        } else if (depth > 0) {
          o.unclip();
          depth--;
        }
      }
      const ink = inkGet.call(o);
      const ours = o.get();
      assert.equal(ours.height, ink.height);
      // Wide characters are compared by what the model draws of them (one cell here).
      assert.deepEqual(drawn(width + 4, height, ours.output.split('\n')), drawn(width + 4, height, ink.output.split('\n')));
    }),
    { numRuns: 400 },
  );
});

test('a row ending in default-style blanks before an escape loses them, as in Ink', () => {
  // Found by the property above: a blank cell hidden behind a reset stayed in the fast row, and
  // the row below an over-wide line then drew differently.
  const o = new Output({ width: 40, height: 6 });
  o.write(0, 1, '\u001B[0m\n\u001B[0m\n \u001B[0m', { transformers: [] });
  o.write(34, 0, 'aaaaaaaaaaa\u001B[0m\naaaaaaaaaaa\u001B[0m\naaaaaaaaaaa\u001B[0m', { transformers: [] });
  const ink = inkGet.call(o).output.split('\n');
  const ours = o.get().output.split('\n');
  assert.deepEqual(drawn(44, 6, ours), drawn(44, 6, ink));
  assert.equal(scanLine(ours[3]!)?.width, 0);
  assert.equal(trimPlainBlanks('\u001B[31mab\u001B[39m  \u001B[0m '), '\u001B[31mab\u001B[39m\u001B[0m');
  assert.equal(trimPlainBlanks('\u001B[7mab  \u001B[27m'), '\u001B[7mab  \u001B[27m', 'styled blanks stay');
});

test('Ink is pinned to the version the patches are tested against, and every patch installs on it', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(pkg.dependencies['ink'], TESTED_INK, 'package.json pins Ink exactly (no range)');
  assert.equal(inkVersion(entry), TESTED_INK);
  assert.deepEqual(await installInkPatches(), { ink: TESTED_INK, widths: true, imports: true, segmenter: true, rows: true, lines: true });
  assert.equal(untested(TESTED_INK), undefined);
  assert.match(untested('8.0.1') ?? '', /^Ink 8\.0\.1 is not the tested /);
  assert.match(untested(undefined) ?? '', /unknown version/);
});

/** An Output of its own (a subclass with Ink's get), so that a test may break it freely. */
function isolatedOutput() {
  class Sub extends (Output as unknown as new (o: { width: number; height: number }) => OutputT) {}
  (Sub.prototype as { get: unknown }).get = inkGet;
  return Sub;
}

test("an operation the patch does not know: that frame is Ink's own, the next known one fast again", () => {
  const o = new Output({ width: 20, height: 3 });
  o.write(0, 0, 'hello', { transformers: [] });
  // a kind of write a later Ink might add
  (o as unknown as { operations: object[] }).operations.push({ type: 'write-styled', x: 2, y: 1, text: 'world', transformers: [] });
  const before = { ...fastRowStats };
  const ours = o.get();
  assert.equal(fastRowStats.unknown, before.unknown + 1);
  assert.deepEqual(ours, inkGet.call(o));
  assert.equal(ours.output, 'hello\n  world\n');
  const k = new Output({ width: 20, height: 2 });
  k.write(0, 1, 'fast', { transformers: [] });
  assert.equal(k.get().output, '\nfast');
  assert.equal(fastRowStats.fast, before.fast + 1);
  assert.equal(fastRowStats.errors, before.errors);
});

test("Ink internals of another shape: the frame is drawn by Ink's own Output#get", () => {
  // operations kept in another collection
  const set = new Output({ width: 10, height: 2 });
  set.write(1, 0, 'in a set', { transformers: [] });
  const ops = (set as unknown as { operations: object[] }).operations;
  (set as unknown as { operations: Set<object> }).operations = new Set(ops);
  const before = fastRowStats.unknown;
  assert.deepEqual(set.get(), inkGet.call(set));
  assert.equal(set.get().output, ' in a set\n');
  // a write whose fields changed type, a clip that is not an object
  for (const odd of [
    { type: 'write', x: 0, y: 0, text: ['not', 'a string'], transformers: [] },
    { type: 'write', x: 0, y: 0, text: 'ok', transformers: 'none' },
    { type: 'clip', clip: 5 },
  ]) {
    const o = new Output({ width: 10, height: 1 });
    (o as unknown as { operations: object[] }).operations.push(odd);
    let ink: unknown;
    let ours: unknown;
    try {
      ink = inkGet.call(o);
    } catch (e) {
      ink = `throws ${(e as Error).name}`;
    }
    try {
      ours = o.get();
    } catch (e) {
      ours = `throws ${(e as Error).name}`;
    }
    assert.deepEqual(ours, ink, JSON.stringify(odd));
  }
  assert.equal(fastRowStats.unknown, before + 5);
});

test("an error of the patch itself: the frame is Ink's, and Ink's Output#get comes back for good", () => {
  const Sub = isolatedOutput();
  assert.equal(installFastRows(Sub as never), true);
  assert.notEqual(Sub.prototype.get, inkGet);
  let calls = 0;
  const flaky = (s: string) => {
    if (calls++ === 0) throw new Error('only the first call fails');
    return s.toUpperCase();
  };
  const o = new Sub({ width: 12, height: 1 });
  o.write(0, 0, 'shout', { transformers: [flaky] });
  const errors = fastRowStats.errors;
  assert.equal(o.get().output, 'SHOUT');
  assert.equal(fastRowStats.errors, errors + 1);
  assert.equal(Sub.prototype.get, inkGet, 'the patch took itself out');
  assert.equal(installFastRows(Sub as never), true, 'and is not installed again');
  assert.equal(Sub.prototype.get, inkGet);
});

test('an Output that draws the probe frame differently is not patched', () => {
  const Sub = isolatedOutput();
  const shouting = function (this: OutputT) {
    const r = inkGet.call(this);
    return { ...r, output: r.output.toUpperCase() };
  };
  (Sub.prototype as { get: unknown }).get = shouting;
  assert.equal(installFastRows(Sub as never), false);
  assert.equal(Sub.prototype.get, shouting);
  class NoWrite {
    get() {
      return { output: '', height: 0 };
    }
  }
  assert.equal(installFastRows(NoWrite as never), false);
});

test("line writer: an error while making a frame's bytes hands it, and every later frame, to Ink", () => {
  const frames: string[] = [];
  const written: string[] = [];
  const inner = Object.assign((t: string) => (frames.push(t), true), {
    clear() {},
    done() {},
    reset() {},
    sync(t: string) {
      frames.push(`sync:${t}`);
    },
    setCursorPosition() {},
    isCursorDirty: () => false,
    willRender: () => true,
    getCursorPosition: () => undefined,
  });
  const logUpdate = { create: () => inner };
  const failingLineUpdate = () => {
    throw new Error('a line the writer cannot make');
  };
  assert.equal(installLineWriter(logUpdate as never, failingLineUpdate), true);
  const stream = { columns: 40, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
  const render = (logUpdate.create as unknown as (s: NodeJS.WriteStream, o: object) => (t: string) => boolean)(stream, { incremental: true });
  render('a\nb');
  render('a\nc'); // steady: diffLine makes it
  assert.deepEqual(frames, ['a\nb', 'sync:a\nc']);
  assert.equal(written.length, 1);
  const errors = lineWriterStats.errors;
  render('a\n漢'); // diffLine leaves wide characters to the line update, which fails
  render('a\nd');
  assert.equal(lineWriterStats.errors, errors + 1);
  assert.deepEqual(frames.slice(2), ['a\n漢', 'a\nd'], "Ink's own update for the failed frame and after");
  assert.equal(written.length, 1);
});
