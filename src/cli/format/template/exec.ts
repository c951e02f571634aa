/**
 * text/template's executor: walks a parsed tree against a value (dot), evaluating pipelines,
 * fields, methods, variables and function calls with Go's rules (missing map keys, struct
 * fields, nil pointers, interface digging, argument types), writing text as it goes, and failing
 * with Go's "template: NAME:LINE:COL: executing \"NAME\" at <NODE>: …" errors.
 */
import { BUILTINS, unboxed } from './builtins.js';
import { fromBytes } from './bytes.js';
import { CallError, TemplateError } from './errors.js';
import { sprint } from './fmt.js';
import { nodeString, type ArgNode, type BranchNode, type CommandNode, type ListNode, type Node, type PipeNode, type VariableNode } from './nodes.js';
import type { Tree } from './parser.js';
import { quote } from './quote.js';
import { fieldByPath, fieldPath, indirect, indirectInterface, isTrue, methodByName, sortedEntries, truth } from './reflect.js';
import { assignable, INVALID, int, mk, T, typeString, zero, type GoFunc, type GoMap, type GoType, type Param, type Value } from './types.js';

/** The deepest {{template}} recursion (Go's limit where the stack is small, as in WebAssembly). */
const MAX_EXEC_DEPTH = 1000;

export type MissingKey = 'default' | 'zero' | 'error';

export interface ExecOptions {
  /** Functions besides the builtins (docker's json, join, …); they take precedence. */
  funcs: Record<string, GoFunc>;
  missingKey: MissingKey;
}

/** The value a pipeline starts with: marks "no final argument" (Go's missingVal). */
const MISSING: Value = { t: { kind: 'struct', name: 'template.missingValType', fields: [] }, v: {} };

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

class ExecFailure extends Error {}

interface Variable {
  name: string;
  value: Value;
}

export class Executor {
  private node: Node | null = null;
  private vars: Variable[];
  out = '';

  constructor(
    private tree: Tree,
    private readonly trees: Map<string, Tree>,
    private readonly opts: ExecOptions,
    private readonly depth = 0,
    dot: Value = INVALID,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  /** Executes the tree; throws TemplateError (kind 'exec') carrying the partial output. */
  static run(tree: Tree, trees: Map<string, Tree>, dot: Value, opts: ExecOptions): string {
    const s = new Executor(tree, trees, opts, 0, dot);
    try {
      s.walk(dot, tree.root);
    } catch (e) {
      if (e instanceof ExecFailure) throw new TemplateError(fromBytes(e.message), 'exec', s.out);
      throw e;
    }
    return s.out;
  }

  // ------------------------------------------------------------ state

  private at(n: Node): void {
    this.node = n;
  }

  private errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new ExecFailure(`template: ${name}: ${msg}`);
    const pos = this.node.pos;
    const before = this.tree.text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const col = nl === -1 ? pos : pos - (nl + 1);
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    throw new ExecFailure(`template: ${this.tree.parseName}:${line}:${col}: executing ${quote(name)} at <${nodeString(this.node)}>: ${msg}`);
  }

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private push(name: string, value: Value): void {
    this.vars.push({ name, value });
  }

  private setVar(name: string, value: Value): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: Value): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  private varValue(name: string): Value {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  // ------------------------------------------------------------ walking

  private walk(dot: Value, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node.type, dot, node.pipe, node.list, node.elseList);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out += node.text;
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(type: 'if' | 'with', dot: Value, pipe: PipeNode, list: ListNode, elseList: ListNode | null): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, pipe);
      const [t, ok] = isTrue(indirectInterface(val));
      if (!ok) this.errorf(`if/with can't use ${sprint([val])}`);
      if (t) this.walk(type === 'with' ? val : dot, list);
      else if (elseList) this.walk(dot, elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: Value, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const [val] = indirect(this.evalPipeline(dot, r.pipe));
      const mark = this.mark();
      const decl = r.pipe.decl;
      const one = (index: Value, elem: Value) => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let ran = false;
      switch (val.t.kind) {
        case 'int':
        case 'uint':
          if (decl.length > 1) this.errorf(`can't use ${sprint([val])} to iterate over more than one variable`);
          for (let i = 0; i < (val.v as number); i++) {
            ran = true;
            one(INVALID, mk(val.t, i));
          }
          break;
        case 'array':
        case 'slice': {
          const items = (val.v as Value[] | null) ?? [];
          items.forEach((x, i) => {
            ran = true;
            one(int(i), x);
          });
          break;
        }
        case 'map':
          for (const { key, value } of sortedEntries(val)) {
            ran = true;
            one(key, value);
          }
          break;
        case 'invalid':
          break; // a nil map and the like: like an empty one
        default:
          this.errorf(`range can't iterate over ${sprint([val])}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Value, t: Extract<Node, { type: 'template' }>): void {
    this.at(t);
    const tree = this.trees.get(t.name);
    if (!tree) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const sub = new Executor(tree, this.trees, this.opts, this.depth + 1, newDot);
    try {
      sub.walk(newDot, tree.root);
    } finally {
      this.out += sub.out;
    }
  }

  // ------------------------------------------------------------ evaluation

  private evalPipeline(dot: Value, pipe: PipeNode | null): Value {
    if (!pipe) return INVALID;
    this.at(pipe);
    let value = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // interface{} values are dug out to what they hold.
      if (value.t.kind === 'iface' && !value.t.name) value = (value.v as Value | null) ?? INVALID;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.push(v.ident[0]!, value);
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Value): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: Value, cmd: CommandNode, final: Value): Value {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return mk(T.bool, first.value);
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return mk(T.string, first.text);
    }
    this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  private idealConstant(n: Extract<ArgNode, { type: 'number' }>): Value {
    this.at(n);
    const c = n.num;
    if (c.isComplex) return mk(T.complex128, c.complex);
    const text = c.text;
    const isHexInt = text.length > 2 && text[0] === '0' && (text[1] === 'x' || text[1] === 'X') && !/[pP]/.test(text);
    const isRuneInt = text[0] === "'";
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(text)) return mk(T.float64, c.float);
    if (c.isInt) return mk(T.int, c.int);
    if (c.isUint) this.errorf(`${text} overflows int`);
    return INVALID;
  }

  private evalFieldNode(dot: Value, field: Extract<ArgNode, { type: 'field' }>, args: ArgNode[] | null, final: Value): Value {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Value, chain: Extract<ArgNode, { type: 'chain' }>, args: ArgNode[] | null, final: Value): Value {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Value, v: VariableNode, args: ArgNode[] | null, final: Value): Value {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: Value, receiver: Value, node: Node, ident: string[], args: ArgNode[] | null, final: Value): Value {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private findFunction(name: string): [GoFunc, boolean] | undefined {
    const own = this.opts.funcs[name];
    if (own) return [own, false];
    const b = BUILTINS[name];
    return b ? [b, true] : undefined;
  }

  private evalFunction(dot: Value, node: Extract<ArgNode, { type: 'identifier' }>, cmd: Node, args: ArgNode[] | null, final: Value): Value {
    this.at(node);
    const name = node.ident;
    const found = this.findFunction(name);
    if (!found) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, found[0], found[1], cmd, name, args, final);
  }

  private evalField(dot: Value, fieldName: string, node: Node, args: ArgNode[] | null, final: Value, receiver: Value): Value {
    if (receiver.t.kind === 'invalid') {
      if (this.opts.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return INVALID;
    }
    const typ = typeString(receiver.t);
    const [rcv, isNil] = indirect(receiver);
    if (rcv.t.kind === 'iface' && isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const method = methodByName(rcv, fieldName);
    if (method) return this.evalCall(dot, { ...method, call: (a) => method.call(rcv, a) }, false, node, fieldName, args, final);
    const hasArgs = (args?.length ?? 0) > 1 || final !== MISSING;
    switch (rcv.t.kind) {
      case 'struct': {
        const path = fieldPath(rcv.t, fieldName);
        if (path) {
          if (path[path.length - 1]!.unexported) this.errorf(`${fieldName} is an unexported field of struct type ${typ}`);
          const field = fieldByPath(rcv, path);
          if (typeof field === 'string') this.errorf(field);
          if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
          return field;
        }
        break;
      }
      case 'map':
        if (assignable(T.string, rcv.t.key!)) {
          if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
          const hit = rcv.v ? (rcv.v as GoMap).entries.get(fieldName) : undefined;
          if (hit) return hit.value;
          switch (this.opts.missingKey) {
            case 'zero':
              return zero(rcv.t.elem!);
            case 'error':
              this.errorf(`map has no entry for key ${quote(fieldName)}`);
            default:
              return INVALID;
          }
        }
        break;
      case 'ptr': {
        const etyp = rcv.t.elem!;
        if (etyp.kind === 'struct' && !fieldPath(etyp, fieldName)) break;
        if (isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
        break;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: Value, fun: GoFunc, isBuiltin: boolean, node: Node, name: string, argsIn: ArgNode[] | null, final: Value): Value {
    const args = argsIn ? argsIn.slice(1) : [];
    const params = fun.params;
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fun.variadic) {
      numFixed = params.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length - 1} got ${args.length}`);
    } else if (numIn !== params.length) this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v = INVALID;
      for (const a of args) {
        v = this.evalArg(dot, 'value', a);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'value');
      return v;
    }

    const argv: Value[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, params[i]!, args[i]!);
    if (fun.variadic) {
      const argType = params[params.length - 1]!;
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, argType, args[i]!);
    }
    if (final !== MISSING) {
      let t = params[params.length - 1]!;
      if (fun.variadic && numIn - 1 < numFixed) t = params[numIn - 1]!;
      argv[i] = this.validateType(final, t);
    }
    if (isBuiltin && name === 'call') {
      const callee = args.length === 0 ? `<${typeString(final.t)} Value>` : nodeString(args[0]!);
      argv.unshift(mk(T.string, callee));
    }
    try {
      return fun.call(argv);
    } catch (e) {
      if (e instanceof CallError) {
        this.at(node);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  /** validateType: the value as an argument of type `typ` (null: untyped). */
  private validateType(value: Value, typ: Param | null): Value {
    if (value.t.kind === 'invalid') {
      if (typ === null || typ === 'value') return INVALID;
      if (canBeNil(typ)) return zero(typ);
      this.errorf(`invalid value; expected ${typeString(typ)}`);
    }
    if (typ === null || typ === 'value') return value;
    if (!assignable(value.t, typ)) {
      if (value.t.kind === 'iface' && value.v !== null) {
        value = value.v as Value;
        if (assignable(value.t, typ)) return value;
      }
      if (value.t.kind === 'ptr' && assignable(value.t.elem!, typ)) {
        if (value.v === null) this.errorf(`dereference of nil pointer of type ${typeString(typ)}`);
        return value.v as Value;
      }
      this.errorf(`wrong type for value; expected ${typeString(typ)}; got ${typeString(value.t)}`);
    }
    return value;
  }

  private evalArg(dot: Value, typ: Param | null, n: ArgNode): Value {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'value') return INVALID;
        if (typ && canBeNil(typ)) return zero(typ);
        this.errorf(`cannot assign nil to ${typ ? typeString(typ) : '<nil>'}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    const t: GoType = typ === null || typ === 'value' ? T.any : typ;
    switch (t.kind) {
      case 'bool':
        if (n.type === 'bool') return mk(t, n.value);
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'complex':
        if (n.type === 'number' && n.num.isComplex) return mk(t, n.num.complex);
        this.errorf(`expected complex; found ${nodeString(n)}`);
      case 'float':
        if (n.type === 'number' && n.num.isFloat) return mk(t, n.num.float);
        this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.num.isInt) return mk(t, n.num.int);
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'uint':
        if (n.type === 'number' && n.num.isUint) return mk(t, n.num.uint);
        this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return mk(t, n.text);
        this.errorf(`expected string; found ${nodeString(n)}`);
      case 'iface':
        if (!t.name) return this.evalEmptyInterface(dot, n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typeString(t)}`);
  }

  private evalEmptyInterface(dot: Value, n: ArgNode): Value {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return mk(T.bool, n.value);
      case 'dot':
        return dot;
      case 'field':
        return this.evalFieldNode(dot, n, null, MISSING);
      case 'identifier':
        return this.evalFunction(dot, n, n, null, MISSING);
      case 'nil':
        this.errorf("evalEmptyInterface: nil (can't happen)");
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return mk(T.string, n.text);
      case 'variable':
        return this.evalVariableNode(dot, n, null, MISSING);
      case 'pipe':
        return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  // ------------------------------------------------------------ printing

  private printValue(n: Node, v: Value): void {
    this.at(n);
    let p = v;
    if (p.t.kind === 'ptr') p = indirect(p)[0];
    if (p.t.kind === 'invalid') {
      this.out += '<no value>';
      return;
    }
    const stringer = p.t.stringer || (p.t.kind === 'ptr' && p.t.elem?.stringer);
    if (!stringer && p.t.kind === 'func') this.errorf(`can't print ${nodeString(n)} of type ${typeString(v.t)}`);
    try {
      this.out += sprint([unboxed(p)]);
    } catch (e) {
      if (e instanceof CallError) this.errorf(e.message);
      throw e;
    }
  }
}

function canBeNil(t: GoType): boolean {
  return ['func', 'iface', 'map', 'ptr', 'slice'].includes(t.kind);
}
