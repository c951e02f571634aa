/**
 * A Dockerfile read with dockerfile-ast (the parser behind VS Code's Docker language server) and
 * checked here: unknown instructions, missing arguments, flags we do not support, and a first
 * instruction other than FROM/ARG are syntax errors naming their line, as docker reports them.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { invalid } from '../errors.js';

export interface Step {
  /** 1-based line of the instruction. */
  line: number;
  keyword: string;
  /** Arguments after the flags, continuation lines joined. */
  text: string;
  /** The words of `text`, split as the parser did. */
  words: string[];
  flags: Record<string, string>;
  /** KEY=VALUE / "KEY VALUE" pairs for ENV, LABEL and ARG. */
  props: [string, string | undefined][];
  /** The JSON (exec) form, when `text` is a JSON array of strings. */
  json?: string[];
  /** The original instruction text, for "Step n/m : …" lines. */
  original: string;
}

const KNOWN = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);
const FLAGS: Record<string, string[]> = {
  FROM: ['platform'],
  COPY: ['from', 'chown', 'chmod', 'link'],
  ADD: ['chown', 'chmod', 'link', 'checksum'],
  RUN: [],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

export class DockerfileSyntaxError extends Error {}

function syntax(line: number, msg: string): Error {
  return invalid(`Dockerfile parse error on line ${line}: ${msg}`);
}

export function parseJsonArray(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    /* shell form */
  }
  return undefined;
}

export function parseDockerfile(content: string): Step[] {
  const df = DockerfileParser.parse(content);
  const steps: Step[] = [];
  let sawFrom = false;
  for (const ins of df.getInstructions()) {
    const range = ins.getRange();
    const line = (range?.start.line ?? 0) + 1;
    const keyword = ins.getKeyword().toUpperCase();
    if (!KNOWN.has(keyword)) throw syntax(line, `unknown instruction: ${ins.getKeyword()}`);
    const text = (ins.getArgumentsContent() ?? '').trim();
    const flags: Record<string, string> = {};
    const withFlags = ins as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] };
    for (const f of withFlags.getFlags?.() ?? []) {
      const name = f.getName();
      const allowed = FLAGS[keyword];
      if (!allowed || !allowed.includes(name)) throw syntax(line, `${keyword} does not support the flag --${name}`);
      flags[name] = f.getValue() ?? '';
    }
    const words = ins.getArguments().map((a) => a.getValue());
    const withProps = ins as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] };
    const props: [string, string | undefined][] = (withProps.getProperties?.() ?? []).map((p) => [p.getName(), p.getValue() ?? undefined]);
    const json = parseJsonArray(text);
    const step: Step = {
      line,
      keyword,
      text,
      words,
      flags,
      props,
      original: `${keyword} ${Object.entries(flags)
        .map(([k, v]) => `--${k}=${v} `)
        .join('')}${text}`.trim(),
      ...(json ? { json } : {}),
    };
    // arity, as docker's parser checks it
    const need = (ok: boolean, what: string) => {
      if (!ok) throw syntax(line, what);
    };
    switch (keyword) {
      case 'FROM':
        need(
          words.length === 1 || (words.length === 3 && words[1]!.toUpperCase() === 'AS'),
          'FROM requires either one or three arguments (FROM image [AS name])',
        );
        sawFrom = true;
        break;
      case 'ARG':
        need(words.length >= 1, 'ARG requires exactly one argument');
        break;
      case 'COPY':
      case 'ADD':
        need(
          (json ? json.length : words.length) >= 2,
          `${keyword} requires at least two arguments, but only one was provided. Destination could not be determined`,
        );
        break;
      case 'ENV':
      case 'LABEL':
        need(words.length >= 1 && props.length > 0, `${keyword} must have two arguments`);
        need(props.every(([, v]) => v !== undefined) || keyword === 'LABEL', `${keyword} names can not be blank`);
        break;
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT':
      case 'SHELL':
      case 'WORKDIR':
      case 'USER':
      case 'EXPOSE':
      case 'VOLUME':
      case 'STOPSIGNAL':
      case 'HEALTHCHECK':
      case 'ONBUILD':
      case 'MAINTAINER':
        need(text.length > 0, `${keyword} requires at least one argument`);
        if (keyword === 'SHELL') need(!!json, 'SHELL requires the arguments to be in JSON form');
        break;
    }
    if (!sawFrom && keyword !== 'ARG') throw syntax(line, `no build stage in current context: the first instruction must be FROM (found ${keyword})`);
    steps.push(step);
  }
  if (!sawFrom) throw invalid('Dockerfile contains no FROM instruction');
  return steps;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `\$` — docker's word expansion, without the shell. */
export function expand(s: string, vars: (name: string) => string | undefined, line = 0): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    if (s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end < 0) throw syntax(line, `missing '}' in ${s}`);
      const body = s.slice(i + 2, end);
      const m = /^(\w+)(?::([-+])(.*))?$/s.exec(body);
      if (!m) throw syntax(line, `bad substitution: \${${body}}`);
      const v = vars(m[1]!);
      if (m[2] === '-') out += v === undefined || v === '' ? expand(m[3]!, vars, line) : v;
      else if (m[2] === '+') out += v === undefined || v === '' ? '' : expand(m[3]!, vars, line);
      else out += v ?? '';
      i = end;
      continue;
    }
    const m = /^\w+/.exec(s.slice(i + 1));
    if (!m) {
      out += '$';
      continue;
    }
    out += vars(m[0]) ?? '';
    i += m[0].length;
  }
  return out;
}
