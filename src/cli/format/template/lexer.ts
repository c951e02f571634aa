/**
 * text/template's lexer: splits a template (a byte string) into text, delimiters, trim markers,
 * comments and the tokens inside actions, with Go's positions, line numbers and error texts
 * ("unclosed action", "bad character U+0023 '#'", "unterminated quoted string", …).
 */
import { decodeRune, isDigit, isLetter } from './bytes.js';
import { unicodeName } from './fmt.js';
import { quote } from './quote.js';

export const enum It {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords follow.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Item {
  typ: It;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, It> = {
  '.': It.Dot,
  block: It.Block,
  break: It.Break,
  continue: It.Continue,
  define: It.Define,
  else: It.Else,
  end: It.End,
  if: It.If,
  range: It.Range,
  nil: It.Nil,
  template: It.Template,
  with: It.With,
};

/** Go's item.String(), as parse errors show a token. */
export function itemString(i: Item): string {
  if (i.typ === It.EOF) return 'EOF';
  if (i.typ === It.Error) return i.val;
  if (i.typ > It.Keyword) return `<${i.val}>`;
  if (i.val.length > 10) return `${quote(truncRunes(i.val, 10)).slice(0, -1)}"...`;
  return quote(i.val);
}

/** %.10q: the quoted form of the first 10 runes. */
function truncRunes(s: string, n: number): string {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) i += decodeRune(s, i)[1];
  return s.slice(0, i);
}

const EOF_RUNE = -1;
const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const TRIM_MARKER_LEN = 2;

const isSpace = (r: number) => r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
const isAlphaNumeric = (r: number) => r === 0x5f || isLetter(r) || isDigit(r);
const hasLeftTrimMarker = (s: string, i: number) => s.length - i >= 2 && s[i] === '-' && isSpace(s.charCodeAt(i + 1));
const hasRightTrimMarker = (s: string, i: number) => s.length - i >= 2 && isSpace(s.charCodeAt(i)) && s[i + 1] === '-';

const rightTrimLength = (s: string) => s.length - s.replace(/[ \t\r\n]+$/, '').length;
const leftTrimLength = (s: string) => s.length - s.replace(/^[ \t\r\n]+/, '').length;

type State = ((l: Lexer) => State) | null;

export interface LexOptions {
  /** `break`/`continue` are keywords unless a function of that name exists. */
  breakOK: boolean;
  continueOK: boolean;
}

export class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private insideAction = false;
  private item: Item = { typ: It.EOF, pos: 0, val: 'EOF', line: 0 };

  constructor(
    private input: string,
    readonly options: LexOptions = { breakOK: true, continueOK: true },
  ) {}

  /** The next token; after an error or EOF, EOF forever (the input is dropped). */
  nextItem(): Item {
    this.item = { typ: It.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: State = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  // ------------------------------------------------------------ primitives

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF_RUNE;
    }
    const [r, w] = decodeRune(this.input, this.pos);
    this.pos += w;
    if (r === 0x0a) this.line++;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      // Step back over the last rune (a UTF-8 sequence or one byte).
      let p = this.pos - 1;
      while (p > 0 && p > this.pos - 4 && (this.input.charCodeAt(p) & 0xc0) === 0x80) p--;
      const [r, w] = decodeRune(this.input, p);
      if (p + w !== this.pos) p = this.pos - 1;
      this.pos = p;
      if (r === 0x0a) this.line--;
    }
  }

  /** The pending input as a token of type t (advances start). */
  thisItem(t: It): Item {
    const i = { typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  emit(t: It): State {
    return this.emitItem(this.thisItem(t));
  }

  emitItem(i: Item): State {
    this.item = i;
    return null;
  }

  /** Skips pending input, counting its newlines (for text skipped without next()). */
  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r >= 0 && valid.includes(String.fromCharCode(r)) && r < 0x80) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (!(r >= 0 && r < 0x80 && valid.includes(String.fromCharCode(r)))) break;
    }
    this.backup();
  }

  errorf(msg: string): State {
    this.item = { typ: It.Error, pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  /** At the right delimiter, possibly preceded by a trim marker: [delim, trim]. */
  atRightDelim(): [boolean, boolean] {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LEN)) return [true, true];
    if (this.input.startsWith(RIGHT_DELIM, this.pos)) return [true, false];
    return [false, false];
  }

  /** Valid characters to end an identifier, field or variable. */
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF_RUNE:
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
        return true;
    }
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  // Accessors for the state functions below.
  get p(): number {
    return this.pos;
  }
  set p(v: number) {
    this.pos = v;
  }
  get s(): number {
    return this.start;
  }
  get text(): string {
    return this.input;
  }
  set inAction(v: boolean) {
    this.insideAction = v;
  }
  resetParens(): void {
    this.parenDepth = 0;
  }
  openParen(): void {
    this.parenDepth++;
  }
  closeParen(): number {
    return --this.parenDepth;
  }
  get parens(): number {
    return this.parenDepth;
  }
  addLines(n: number): void {
    this.line += n;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------- state functions

function lexText(l: Lexer): State {
  const x = l.text.indexOf(LEFT_DELIM, l.p);
  if (x >= 0) {
    if (x > l.p) {
      l.p = x;
      // A left trim marker swallows the spaces before the delimiter.
      let trimLength = 0;
      if (hasLeftTrimMarker(l.text, l.p + LEFT_DELIM.length)) trimLength = rightTrimLength(l.text.slice(l.s, l.p));
      l.p -= trimLength;
      l.addLines(countNewlines(l.text.slice(l.s, l.p)));
      const i = l.thisItem(It.Text);
      l.p += trimLength;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.p = l.text.length;
  if (l.p > l.s) {
    l.addLines(countNewlines(l.text.slice(l.s, l.p)));
    return l.emit(It.Text);
  }
  return l.emit(It.EOF);
}

function lexLeftDelim(l: Lexer): State {
  l.p += LEFT_DELIM.length;
  const trimSpace = hasLeftTrimMarker(l.text, l.p);
  const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
  if (l.text.startsWith(LEFT_COMMENT, l.p + afterMarker)) {
    l.p += afterMarker;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItem(It.LeftDelim);
  l.inAction = true;
  l.p += afterMarker;
  l.ignore();
  l.resetParens();
  return l.emitItem(i);
}

function lexComment(l: Lexer): State {
  l.p += LEFT_COMMENT.length;
  const x = l.text.indexOf(RIGHT_COMMENT, l.p);
  if (x < 0) return l.errorf('unclosed comment');
  l.p = x + RIGHT_COMMENT.length;
  const [delim, trimSpace] = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  // Comments are dropped (the parser is not asked to keep them).
  if (trimSpace) l.p += TRIM_MARKER_LEN;
  l.p += RIGHT_DELIM.length;
  if (trimSpace) l.p += leftTrimLength(l.text.slice(l.p));
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): State {
  const [, trimSpace] = l.atRightDelim();
  if (trimSpace) {
    l.p += TRIM_MARKER_LEN;
    l.ignore();
  }
  l.p += RIGHT_DELIM.length;
  const i = l.thisItem(It.RightDelim);
  if (trimSpace) {
    l.p += leftTrimLength(l.text.slice(l.p));
    l.ignore();
  }
  l.inAction = false;
  return l.emitItem(i);
}

function lexInsideAction(l: Lexer): State {
  const [delim] = l.atRightDelim();
  if (delim) {
    if (l.parens === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF_RUNE) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  switch (r) {
    case 0x3d: // =
      return l.emit(It.Assign);
    case 0x3a: // :
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      return l.emit(It.Declare);
    case 0x7c: // |
      return l.emit(It.Pipe);
    case 0x22: // "
      return lexQuote;
    case 0x60: // `
      return lexRawQuote;
    case 0x24: // $
      return lexVariable;
    case 0x27: // '
      return lexChar;
    case 0x2e: // .
      if (l.p < l.text.length) {
        const c = l.text.charCodeAt(l.p);
        if (c < 0x30 || c > 0x39) return lexField;
      }
      l.backup();
      return lexNumber;
    case 0x28: // (
      l.openParen();
      return l.emit(It.LeftParen);
    case 0x29: // )
      if (l.closeParen() < 0) return l.errorf('unexpected right paren');
      return l.emit(It.RightParen);
  }
  if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r < 0x80 && r >= 0x20 && r < 0x7f) return l.emit(It.Char);
  return l.errorf(`unrecognized character in action: ${unicodeName(r)}`);
}

function lexSpace(l: Lexer): State {
  let numSpaces = 0;
  for (;;) {
    const r = l.peek();
    if (!isSpace(r)) break;
    l.next();
    numSpaces++;
  }
  // A trim-marked right delimiter starts with a space: leave it for lexRightDelim.
  if (hasRightTrimMarker(l.text, l.p - 1) && l.text.startsWith(RIGHT_DELIM, l.p - 1 + TRIM_MARKER_LEN)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(It.Space);
}

function lexIdentifier(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.text.slice(l.s, l.p);
    if (!l.atTerminator()) return l.errorf(`bad character ${unicodeName(r)}`);
    const kw = KEYWORDS[word];
    if (kw !== undefined && kw > It.Keyword) {
      if ((kw === It.Break && !l.options.breakOK) || (kw === It.Continue && !l.options.continueOK)) return l.emit(It.Identifier);
      return l.emit(kw);
    }
    if (word[0] === '.') return l.emit(It.Field);
    if (word === 'true' || word === 'false') return l.emit(It.Bool);
    return l.emit(It.Identifier);
  }
}

function lexField(l: Lexer): State {
  return lexFieldOrVariable(l, It.Field);
}

function lexVariable(l: Lexer): State {
  if (l.atTerminator()) return l.emit(It.Variable);
  return lexFieldOrVariable(l, It.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: It): State {
  if (l.atTerminator()) return l.emit(typ === It.Variable ? It.Variable : It.Dot);
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${unicodeName(r)}`);
  return l.emit(typ);
}

function lexChar(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === 0x5c) {
      const n = l.next();
      if (n !== EOF_RUNE && n !== 0x0a) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF_RUNE || r === 0x0a) return l.errorf('unterminated character constant');
    if (r === 0x27) break;
  }
  return l.emit(It.CharConstant);
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 10 + 1 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 16 + 6 + 1 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexNumber(l: Lexer): State {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${quote(l.text.slice(l.s, l.p))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    // Complex: 1+2i. No spaces, must end in 'i'.
    if (!scanNumber(l) || l.text[l.p - 1] !== 'i') return l.errorf(`bad number syntax: ${quote(l.text.slice(l.s, l.p))}`);
    return l.emit(It.Complex);
  }
  return l.emit(It.Number);
}

function lexQuote(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === 0x5c) {
      const n = l.next();
      if (n !== EOF_RUNE && n !== 0x0a) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF_RUNE || r === 0x0a) return l.errorf('unterminated quoted string');
    if (r === 0x22) break;
  }
  return l.emit(It.String);
}

function lexRawQuote(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === EOF_RUNE) return l.errorf('unterminated raw quoted string');
    if (r === 0x60) break;
  }
  return l.emit(It.RawString);
}
