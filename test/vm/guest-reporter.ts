/**
 * A node:test reporter for tests that run inside the VM: one JSON line per finished test (its
 * full name, pass/fail/skip/todo, the failure as text, its diagnostics), and a last line once
 * the run is over, so the host tells "all passed" from "the guest died half-way".
 * Used as `--test-reporter=dist/test/vm/guest-reporter.js`.
 */
import { inspect } from 'node:util';

export interface GuestCase {
  event: 'case';
  /** Suite names and the test's, outermost first. */
  path: string[];
  outcome: 'pass' | 'fail' | 'skip' | 'todo';
  ms: number;
  /** Whether it is a suite (describe) rather than a test. */
  suite: boolean;
  error?: string;
  diagnostics: string[];
}

export interface GuestEnd {
  event: 'end';
  pass: number;
  fail: number;
}

export type GuestLine = GuestCase | GuestEnd;

interface TestEventData {
  name: string;
  nesting: number;
  message?: string;
  skip?: string | boolean;
  todo?: string | boolean;
  details?: { duration_ms?: number; type?: string; error?: Error & { cause?: unknown } };
}

function describeError(e: (Error & { cause?: unknown }) | undefined): string {
  if (!e) return 'failed';
  // node:test wraps the test's own error (failureType testCodeFailure) as the cause.
  const inner = e.cause instanceof Error ? e.cause : e;
  return inspect(inner, { depth: 4, breakLength: 120 });
}

export default async function* guestReporter(source: AsyncIterable<{ type: string; data: TestEventData }>): AsyncGenerator<string> {
  const names: string[] = [];
  // A test's diagnostics follow its pass/fail event at the same nesting: a finished case is
  // held until the next other event.
  let held: GuestCase | null = null;
  let pass = 0;
  let fail = 0;
  for await (const { type, data } of source) {
    if (type === 'test:diagnostic' && held && data.nesting === held.path.length - 1 && data.message !== undefined) {
      held.diagnostics.push(data.message);
      continue;
    }
    if (held) yield `${JSON.stringify(held)}\n`;
    held = null;
    if (type === 'test:start') {
      names[data.nesting] = data.name;
      names.length = data.nesting + 1;
    } else if (type === 'test:pass' || type === 'test:fail') {
      const outcome =
        data.skip !== undefined && data.skip !== false
          ? 'skip'
          : data.todo !== undefined && data.todo !== false
            ? 'todo'
            : type === 'test:pass'
              ? 'pass'
              : 'fail';
      held = {
        event: 'case',
        path: [...names.slice(0, data.nesting), data.name],
        outcome,
        ms: Math.round(data.details?.duration_ms ?? 0),
        suite: data.details?.type === 'suite',
        diagnostics: [],
      };
      if (outcome === 'fail') held.error = describeError(data.details?.error);
      if (!held.suite && outcome === 'pass') pass++;
      if (!held.suite && outcome === 'fail') fail++;
    }
  }
  if (held) yield `${JSON.stringify(held)}\n`;
  const end: GuestEnd = { event: 'end', pass, fail };
  yield `${JSON.stringify(end)}\n`;
}
