/**
 * Flag and usage errors, docker's way, for every command of the registry: an unknown flag and
 * a bad value for each typed flag exit 125 with `berth: MESSAGE` and `See 'berth CMD --help'.`,
 * and never open the engine (the state root is not even created). A wrong number of arguments
 * exits 1, as docker's. Runs the real bin/berth.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, type Option } from 'commander';
import { BERTH } from '../helpers/berth.js';
import { COMMANDS } from '../../src/cli/registry.js';
import type { CliContext } from '../../src/cli/context.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-flags-'));
const root = join(dir, 'root');
const runRoot = join(dir, 'run');
after(() => rmSync(dir, { recursive: true, force: true }));

/** A bad value for each flag type (the placeholder in the flag's definition). */
const BAD: Record<string, string> = {
  int: 'abc',
  bytes: '12q',
  decimal: 'abc',
  filter: 'foo',
  ulimit: 'nofile',
  uint16: 'abc',
  duration: 'soon',
  seconds: 'abc',
};
/** Placeholders of flags whose values are free text, or checked by the engine (exit 1, as docker). */
const FREE = new Set([
  'string',
  'list',
  'file',
  'name',
  'instruction',
  'K=V',
  'mount',
  'network',
  'address',
  'token',
  'cidr',
  'ip',
  'map',
  'strings',
  'stringToString',
  'level',
]);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function berth(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      BERTH,
      args,
      { env: { ...process.env, BERTH_ROOT: root, BERTH_RUNROOT: runRoot, DOCKER_HOST: '', BERTH_CONTEXT: '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the cases two at a time (a 2-core machine shared with others). */
async function all<T>(items: T[], f: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all([worker(), worker()]);
}

const noEngine = {
  globals: {},
  engine: () => {
    throw new Error('define() must not open the engine');
  },
} as unknown as CliContext;

interface Defined {
  name: string;
  options: readonly Option[];
  /** One placeholder value per required argument. */
  positionals: string[];
}

async function defined(): Promise<Defined[]> {
  const out: Defined[] = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const mod = (await import(`../../src/cli/${entry.file}.js`)) as { define(cmd: Command, ctx: CliContext): void };
    const cmd = new Command(name);
    mod.define(cmd, noEngine);
    out.push({ name, options: cmd.options, positionals: cmd.registeredArguments.filter((a) => a.required).map(() => 'x') });
  }
  return out;
}

function usage(stderr: string, name: string, message: string | RegExp): void {
  const lines = stderr.split('\n');
  assert.equal(lines.length, 3, `${name}: two lines expected:\n${stderr}`);
  if (typeof message === 'string') assert.equal(lines[0], `berth: ${message}`, name);
  else assert.match(lines[0]!, message, name);
  assert.equal(lines[1], `See 'berth ${name} --help'.`, name);
}

test("every command: an unknown flag exits 125 with docker's message, engine untouched", async () => {
  const cmds = await defined();
  assert.ok(cmds.length > 50, 'the registry lists every command');
  await all(cmds, async (c) => {
    const r = await berth([...c.name.split(' '), '--no-such-flag', ...c.positionals]);
    assert.equal(r.code, 125, `${c.name}: ${r.stderr}`);
    usage(r.stderr, c.name, 'unknown flag: --no-such-flag');
    assert.equal(r.stdout, '', c.name);
    assert.equal(existsSync(root), false, `${c.name} --no-such-flag opened the engine`);
  });
});

test('every command: a bad value for each typed flag exits 125 before the engine opens', async () => {
  const cases: { name: string; option: Option; bad: string; positionals: string[] }[] = [];
  const unclassified: string[] = [];
  for (const c of await defined()) {
    for (const option of c.options) {
      const type = /<([^>]+)>/.exec(option.flags)?.[1];
      if (type === undefined) continue; // a boolean flag
      if (BAD[type] !== undefined) cases.push({ name: c.name, option, bad: BAD[type], positionals: c.positionals });
      else if (!FREE.has(type)) unclassified.push(`${c.name} ${option.flags}`);
    }
  }
  // A new placeholder must be classified here: typed (with a bad value) or free text.
  assert.deepEqual(unclassified, []);
  assert.ok(cases.length >= 15, `${cases.length} typed flags`);
  await all(cases, async ({ name, option, bad, positionals }) => {
    const flag = option.long ?? option.short!;
    const label = option.flags.replace(/\s*<.*$/, '');
    const r = await berth([...name.split(' '), flag, bad, ...positionals]);
    assert.equal(r.code, 125, `${name} ${flag} ${bad}: ${r.stderr}`);
    usage(r.stderr, name, new RegExp(`^berth: invalid argument "${bad}" for "${label}" flag: .+`));
    assert.equal(existsSync(root), false, `${name} ${flag} ${bad} opened the engine`);
  });
});

test("the cases of issue 16, and the rest of docker's flag and usage errors", async () => {
  const cases: [string[], number, string | RegExp, string | undefined][] = [
    [['run', '--memory', '12q', 'busybox'], 125, `invalid argument "12q" for "-m, --memory" flag: invalid size: '12q'`, 'run'],
    [['stop', '-t', 'abc', 'web'], 125, 'invalid argument "abc" for "-t, --time" flag: strconv.ParseInt: parsing "abc": invalid syntax', 'stop'],
    [['ps', '-f', 'foo'], 125, 'invalid argument "foo" for "-f, --filter" flag: bad format of filter (expected name=value)', 'ps'],
    [['logs', '--tail', 'x', 'web'], 125, /^berth: invalid argument "x" for "-n, --tail" flag: /, 'logs'],
    [['run', '--cpus', 'abc', 'busybox'], 125, 'invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number', 'run'],
    [['run', '--add-host', 'bad', 'busybox'], 125, 'invalid argument "bad" for "--add-host" flag: bad format for add-host: "bad"', 'run'],
    [
      ['build', '--add-host', 'h:not-an-ip', '.'],
      125,
      'invalid argument "h:not-an-ip" for "--add-host" flag: invalid IP address in add-host: "not-an-ip"',
      'build',
    ],
    [['container', 'ls', '-x'], 125, "unknown shorthand flag: 'x' in -x", 'container ls'],
    [['stop', '-t'], 125, "flag needs an argument: 't' in -t", 'stop'],
    [['logs', 'web', '--since'], 125, 'flag needs an argument: --since', 'logs'],
    [['run', '--restart', 'sometimes', 'busybox'], 125, 'invalid restart policy: sometimes', 'run'],
    [['create', '--pull', 'sometimes', 'busybox'], 125, /^berth: invalid pull option: 'sometimes'/, 'create'],
    [['run', '-v', 'data:relative', 'busybox'], 125, /^berth: invalid volume specification: 'data:relative'/, 'run'],
    [
      ['run', '--mount', 'type=nfs,target=/x', 'busybox'],
      125,
      /^berth: invalid argument "type=nfs,target=\/x" for "--mount" flag: invalid mount type: nfs/,
      'run',
    ],
    // flags before the container are berth's own; after it, ps's
    [['top', '--bogus', 'web'], 125, 'unknown flag: --bogus', 'top'],
    // global flags
    [['--bogus', 'ps'], 125, 'unknown flag: --bogus', undefined],
    [['-H'], 125, "flag needs an argument: 'H' in -H", undefined],
    [['--tlsverify=maybe', 'ps'], 125, /^berth: invalid argument "maybe" for "--tlsverify" flag/, undefined],
    // docker exits 1 for these: argument counts (cobra's checks) and an unknown log level
    [['stop'], 1, "'berth stop' requires at least 1 argument", 'stop'],
    [['container', 'rename', 'a'], 1, "'berth container rename' requires 2 arguments", 'container rename'],
    [['ps', 'extra'], 1, "'berth ps' accepts no arguments", 'ps'],
    [['-l', 'chatty', 'ps'], 1, 'Unable to parse logging level: chatty', undefined],
  ];
  await all(cases, async ([args, code, message, cmd]) => {
    const r = await berth(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.split('\n');
    if (typeof message === 'string') assert.equal(lines[0], `berth: ${message}`, args.join(' '));
    else assert.match(lines[0]!, message, args.join(' '));
    if (cmd !== undefined) assert.equal(lines[1], `See 'berth ${cmd} --help'.`, args.join(' '));
    else if (code === 125) assert.equal(lines[1], "See 'berth --help'.", args.join(' '));
    assert.equal(existsSync(root), false, `${args.join(' ')} opened the engine`);
  });
});

test('help and version exit 0 without opening the engine', async () => {
  for (const args of [['--help'], ['--version'], ['ps', '--help'], ['run', '-h', 'x', '--help'], ['volume'], ['volume', '--help']]) {
    const r = await berth(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stdout.length > 0, args.join(' '));
  }
  assert.equal(existsSync(root), false);
});
