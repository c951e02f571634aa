/**
 * text/template's parser: actions, pipelines, variables (:= and =), if/else if/with/else
 * with/range/else/break/continue, define/template/block, parenthesised pipelines, literals —
 * with Go's error messages ("template: :1: unexpected EOF", "function \"foo\" not defined",
 * "undefined variable \"$x\"", …). Produces one tree per template name.
 */
import { fromBytes } from './bytes.js';
import { TemplateError } from './errors.js';
import { It, Lexer, itemString, type Item } from './lexer.js';
import type { ArgNode, CommandNode, ListNode, Node, NumberInfo, PipeNode, VariableNode } from './nodes.js';
import { quote, SyntaxError_, unquote, unquoteChar } from './quote.js';

/** Deepest nesting of parentheses (Go's limit where the stack is small, as in WebAssembly). */
const MAX_STACK_DEPTH = 1000;
const MAX_PIPELINE_CMDS = 100000;

export interface Tree {
  name: string;
  root: ListNode;
  /** The whole template text: error positions are computed against it. */
  text: string;
  /** The top-level template's name, which error locations show for every tree of the parse. */
  parseName: string;
}

class ParseFailure extends Error {}

export class Parser {
  private lex!: Lexer;
  private token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  root: ListNode | null = null;

  constructor(
    private name: string,
    private readonly parseName: string,
    private readonly text: string,
    private readonly hasFunction: (name: string) => boolean,
    private readonly treeSet: Map<string, Tree>,
  ) {}

  /** Parses the whole text; throws TemplateError (kind 'parse'). */
  static parse(name: string, text: string, hasFunction: (name: string) => boolean): Map<string, Tree> {
    const treeSet = new Map<string, Tree>();
    const p = new Parser(name, name, text, hasFunction, treeSet);
    try {
      p.start(new Lexer(text, { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') }));
      p.parse();
      p.add();
    } catch (e) {
      if (e instanceof ParseFailure) throw new TemplateError(fromBytes(e.message), 'parse');
      throw e;
    }
    return treeSet;
  }

  private start(lex: Lexer): void {
    this.lex = lex;
    this.vars = ['$'];
    this.stackDepth = 0;
  }

  // ------------------------------------------------------------ tokens

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === It.Space);
    return t;
  }

  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // ------------------------------------------------------------ errors

  private errorf(msg: string): never {
    this.root = null;
    throw new ParseFailure(`template: ${this.parseName}:${this.token[0]?.line ?? 1}: ${msg}`);
  }

  private expect(expected: It, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  private expectOneOf(a: It, b: It, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== a && t.typ !== b) this.unexpected(t, context);
    return t;
  }

  private unexpected(t: Item, context: string): never {
    if (t.typ === It.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  // ------------------------------------------------------------ structure

  private add(): void {
    const existing = this.treeSet.get(this.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, { name: this.name, root: this.root!, text: this.text, parseName: this.parseName });
      return;
    }
    if (!isEmptyTree(this.root!)) this.errorf(`template: multiple definition of template ${quote(this.name)}`);
  }

  private parse(): void {
    this.root = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== It.EOF) {
      if (this.peek().typ === It.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === It.Define) {
          const sub = new Parser('definition', this.parseName, this.text, this.hasFunction, this.treeSet);
          sub.start(this.lex);
          sub.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeStr(n)}`);
      this.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(It.String, It.RawString, context);
    this.name = this.unquoteOrFail(name.val);
    this.expect(It.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeStr(end)} in ${context}`);
    this.add();
  }

  private unquoteOrFail(s: string): string {
    try {
      return unquote(s);
    } catch (e) {
      if (e instanceof SyntaxError_) this.errorf(e.message);
      throw e;
    }
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== It.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case It.Text:
        return { type: 'text', pos: t.pos, text: t.val };
      case It.LeftDelim:
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case It.Block:
        return this.blockControl();
      case It.Break:
        return this.breakControl(t.pos, t.line);
      case It.Continue:
        return this.continueControl(t.pos, t.line);
      case It.Else:
        return this.elseControl();
      case It.End:
        return { type: 'end', pos: this.expect(It.RightDelim, 'end').pos };
      case It.If:
        return this.control('if');
      case It.Range:
        return this.control('range');
      case It.Template:
        return this.templateControl();
      case It.With:
        return this.control('with');
    }
    this.backup();
    const tok = this.peek();
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: this.pipeline('command', It.RightDelim) };
  }

  private breakControl(pos: number, line: number): Node {
    const t = this.nextNonSpace();
    if (t.typ !== It.RightDelim) this.unexpected(t, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}');
    return { type: 'break', pos, line };
  }

  private continueControl(pos: number, line: number): Node {
    const t = this.nextNonSpace();
    if (t.typ !== It.RightDelim) this.unexpected(t, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}');
    return { type: 'continue', pos, line };
  }

  private pipeline(context: string, end: It): PipeNode {
    const tok = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: tok.pos, line: tok.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== It.Variable) break;
      this.next();
      // "$x foo" vs "$x := foo": look past the variable (spaces are tokens).
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === It.Assign || next.typ === It.Declare) {
        pipe.isAssign = next.typ === It.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.typ === It.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const k = this.peekNonSpace().typ;
          if (k === It.Variable || k === It.RightDelim || k === It.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === It.Space) this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      switch (t.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case It.Bool:
        case It.CharConstant:
        case It.Complex:
        case It.Dot:
        case It.Field:
        case It.Identifier:
        case It.Number:
        case It.Nil:
        case It.RawString:
        case It.String:
        case It.Variable:
        case It.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          if (pipe.cmds.length > MAX_PIPELINE_CMDS) this.errorf('pipeline too long');
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]!.type;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private control(context: 'if' | 'range' | 'with'): Node {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, It.RightDelim);
      if (context === 'range') this.rangeDepth++;
      let list: ListNode;
      let next: Node;
      try {
        [list, next] = this.itemList();
      } finally {
        if (context === 'range') this.rangeDepth--;
      }
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        // "{{else if …}}" / "{{else with …}}" nest a new if/with whose {{end}} closes both.
        if (context === 'if' && this.peek().typ === It.If) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.control('if')] };
        } else if (context === 'with' && this.peek().typ === It.With) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.control('with')] };
        } else {
          let end: Node;
          [elseList, end] = this.itemList();
          if (end.type !== 'end') this.errorf(`expected end; found ${nodeStr(end)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === It.If || peek.typ === It.With) return { type: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect(It.RightDelim, 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, It.RightDelim);
    const block = new Parser(name, this.parseName, this.text, this.hasFunction, this.treeSet);
    block.start(this.lex);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeStr(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateControl(): Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== It.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, It.RightDelim);
    }
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateName(t: Item, context: string): string {
    if (t.typ === It.String || t.typ === It.RawString) return this.unquoteOrFail(t.val);
    this.unexpected(t, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === It.Space) continue;
      if (t.typ === It.RightDelim || t.typ === It.RightParen) this.backup();
      else if (t.typ !== It.Pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    let node = this.term();
    if (!node) return null;
    if (this.peek().typ === It.Field) {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === It.Field) fields.push(this.next().val.slice(1));
      const chainStr = nodeStr(node) + fields.map((f) => `.${f}`).join('');
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos: chainPos, ident: chainStr.slice(1).split('.') };
          break;
        case 'variable':
          node = this.newVariable(chainPos, chainStr);
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${quote(nodeStr(node))}`);
        default:
          node = { type: 'chain', pos: chainPos, node, field: fields };
      }
    }
    return node;
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case It.Identifier:
        if (!this.hasFunction(t.val)) this.errorf(`function ${quote(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case It.Dot:
        return { type: 'dot', pos: t.pos };
      case It.Nil:
        return { type: 'nil', pos: t.pos };
      case It.Variable:
        return this.useVar(t.pos, t.val);
      case It.Field:
        return { type: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case It.Bool:
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case It.CharConstant:
      case It.Complex:
      case It.Number:
        return { type: 'number', pos: t.pos, num: this.newNumber(t.val, t.typ) };
      case It.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', It.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case It.String:
      case It.RawString:
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquoteOrFail(t.val) };
    }
    this.backup();
    return null;
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, ident: name.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (this.vars.includes(v.ident[0]!)) return v;
    this.errorf(`undefined variable ${quote(v.ident[0]!)}`);
  }

  private newNumber(text: string, typ: It): NumberInfo {
    try {
      return parseNumber(text, typ);
    } catch (e) {
      if (e instanceof NumberError) this.errorf(e.message);
      throw e;
    }
  }
}

function nodeStr(n: Node): string {
  switch (n.type) {
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
    case 'field':
      return n.ident.map((i) => `.${i}`).join('');
    case 'variable':
      return n.ident.join('.');
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.num.text;
    case 'string':
      return n.quoted;
    default:
      return n.type;
  }
}

/** Trees holding only spaces or comments can be redefined. */
function isEmptyTree(n: Node | null): boolean {
  if (!n) return true;
  switch (n.type) {
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim() === '';
    default:
      return false;
  }
}

// ---------------------------------------------------------------- numbers (parse.newNumber with strconv)

class NumberError extends Error {}

const lower = (c: string) => c.toLowerCase();

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(lower(s[1]!))) {
    i = 2;
    saw = '0';
    hex = lower(s[1]!) === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64): a bigint, or 'syntax' / 'range'. */
function parseUint(s0: string): bigint | 'syntax' | 'range' {
  if (s0 === '') return 'syntax';
  let s = s0;
  let base = 10n;
  if (s[0] === '0') {
    if (s.length >= 3 && lower(s[1]!) === 'b') {
      base = 2n;
      s = s.slice(2);
    } else if (s.length >= 3 && lower(s[1]!) === 'o') {
      base = 8n;
      s = s.slice(2);
    } else if (s.length >= 3 && lower(s[1]!) === 'x') {
      base = 16n;
      s = s.slice(2);
    } else {
      base = 8n;
      s = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  let overflow = false;
  for (const c of s) {
    let d: bigint;
    if (c === '_') {
      underscores = true;
      continue;
    } else if (c >= '0' && c <= '9') d = BigInt(c.charCodeAt(0) - 48);
    else if (lower(c) >= 'a' && lower(c) <= 'z') d = BigInt(lower(c).charCodeAt(0) - 87);
    else return 'syntax';
    if (d >= base) return 'syntax';
    n = n * base + d;
    if (n >= 1n << 64n) overflow = true;
  }
  if (underscores && !underscoreOK(s0)) return 'syntax';
  return overflow ? 'range' : n;
}

function parseInt64(s: string): bigint | 'syntax' | 'range' {
  if (s === '') return 'syntax';
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  const u = parseUint(body);
  if (typeof u === 'string') return u;
  if (!neg && u >= 1n << 63n) return 'range';
  if (neg && u > 1n << 63n) return 'range';
  return neg ? -u : u;
}

/** strconv.ParseFloat(s, 64): a number, or undefined when it fails (syntax or range). */
function parseFloat64(s: string): number | undefined {
  let i = 0;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  const rest = s.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return undefined; // the lexer never yields these; Go would give ±Inf
  if (rest === 'nan') return undefined;
  if (/_/.test(s) && !underscoreOK(s)) return undefined;
  const body = s.slice(i).replace(/_/g, '');
  let x: number;
  if (/^0[xX]/.test(body)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(body);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const frac = m[2] ?? '';
    const mant = BigInt(`0x${(m[1] || '0') + frac}`);
    x = Number(mant) * 2 ** (Number(m[3]) - 4 * frac.length);
  } else {
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return undefined;
    x = Number(body);
  }
  if (!Number.isFinite(x)) return undefined;
  return sign * x;
}

/** Where the imaginary part of "RE±IMi" starts (its sign), or -1. */
function complexSplit(text: string): number {
  const hex = /^[+-]?0[xX]/.test(text);
  for (let i = text.length - 2; i > 0; i--) {
    const c = text[i];
    if (c !== '+' && c !== '-') continue;
    const prev = text[i - 1]!;
    // A sign right after an exponent letter belongs to the exponent.
    if (hex ? prev === 'p' || prev === 'P' : prev === 'e' || prev === 'E') continue;
    return i;
  }
  return -1;
}

function simplifyComplex(n: NumberInfo): void {
  n.isFloat = n.complex.im === 0;
  if (n.isFloat) {
    n.float = n.complex.re;
    n.isInt = Number.isInteger(n.float) && Math.abs(n.float) < 2 ** 63;
    if (n.isInt) n.int = n.float;
    n.isUint = Number.isInteger(n.float) && n.float >= 0 && n.float < 2 ** 64;
    if (n.isUint) n.uint = n.float;
  }
}

export function parseNumber(text: string, typ: It): NumberInfo {
  const n: NumberInfo = { isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0, uint: 0, float: 0, complex: { re: 0, im: 0 }, text };
  if (typ === It.CharConstant) {
    let r: number;
    let tail: string;
    try {
      [r, , tail] = unquoteChar(text.slice(1), text.charCodeAt(0));
    } catch (e) {
      if (e instanceof SyntaxError_) throw new NumberError(e.message);
      throw e;
    }
    if (tail !== "'") throw new NumberError(`malformed character constant: ${text}`);
    Object.assign(n, { int: r, isInt: true, uint: r, isUint: true, float: r, isFloat: true });
    return n;
  }
  if (typ === It.Complex) {
    const at = complexSplit(text);
    const re = at > 0 ? parseFloat64(text.slice(0, at)) : undefined;
    const im = at > 0 ? parseFloat64(text.slice(at, -1)) : undefined;
    if (re === undefined || im === undefined) throw new NumberError(`illegal number syntax: ${quote(text)}`);
    n.isComplex = true;
    n.complex = { re, im };
    simplifyComplex(n);
    return n;
  }
  if (text.endsWith('i')) {
    const f = parseFloat64(text.slice(0, -1));
    if (f !== undefined) {
      n.isComplex = true;
      n.complex = { re: 0, im: f };
      simplifyComplex(n);
      return n;
    }
  }
  const u = parseUint(text);
  if (typeof u === 'bigint') {
    n.isUint = true;
    n.uint = Number(u);
  }
  const i = parseInt64(text);
  if (typeof i === 'bigint') {
    n.isInt = true;
    n.int = Number(i);
    if (i === 0n) {
      n.isUint = true;
      n.uint = typeof u === 'bigint' ? Number(u) : 0;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = n.int;
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = n.uint;
  } else {
    const f = parseFloat64(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new NumberError(`integer overflow: ${quote(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint = f;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new NumberError(`illegal number syntax: ${quote(text)}`);
  return n;
}
