/**
 * Go's text/template for berth's --format and inspect -f. Parse once, execute against Values
 * (see types.ts and convert.ts for building them from JS data). Templates and output are JS
 * strings at this boundary; inside, strings are Go's bytes.
 */
import { BUILTINS } from './builtins.js';
import { fromBytes, toBytes } from './bytes.js';
import { TemplateError } from './errors.js';
import { Executor, type MissingKey } from './exec.js';
import { Parser, type Tree } from './parser.js';
import type { GoFunc, Value } from './types.js';

export { TemplateError } from './errors.js';
export type { MissingKey } from './exec.js';

/** A stack overflow on pathological nesting is reported like Go's depth limits, not thrown raw. */
function guard<R>(name: string, kind: 'parse' | 'exec', f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new TemplateError(`template: ${name}: max expression depth exceeded`, kind);
    throw e;
  }
}

export class Template {
  private constructor(
    readonly name: string,
    private readonly trees: Map<string, Tree>,
  ) {}

  /**
   * Parses `text`; functions named in it must be builtins or in `funcs` (Go checks at parse
   * time). Throws TemplateError with Go's message ("template: :1: …").
   */
  static parse(text: string, funcs: Record<string, GoFunc> = {}, name = ''): Template {
    const has = (f: string) => Object.hasOwn(funcs, f) || Object.hasOwn(BUILTINS, f);
    const bytes = toBytes(text);
    return guard(name, 'parse', () => new Template(name, Parser.parse(toBytes(name), bytes, has)));
  }

  /** Executes against `dot`; returns the output (UTF-8 decoded). Throws TemplateError. */
  execute(dot: Value, funcs: Record<string, GoFunc> = {}, missingKey: MissingKey = 'default'): string {
    return fromBytes(this.executeBytes(dot, funcs, missingKey));
  }

  /** Like execute, but the output stays a byte string (see bytes.ts). */
  executeBytes(dot: Value, funcs: Record<string, GoFunc> = {}, missingKey: MissingKey = 'default'): string {
    const tree = this.trees.get(toBytes(this.name));
    if (!tree) throw new TemplateError(`template: ${this.name}: ${JSON.stringify(this.name)} is an incomplete or empty template`, 'exec');
    return guard(this.name, 'exec', () => Executor.run(tree, this.trees, dot, { funcs, missingKey }));
  }
}
