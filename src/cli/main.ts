/**
 * berth's command line: global options, then a docker-style command found by name in the
 * registry and loaded on demand. Errors become one line on stderr and docker's exit codes.
 */
import type { Command, CommanderError } from 'commander';
import type { CliContext, ExitStatus, GlobalOptions } from './context.js';
import { COMMANDS, ALIASES, lookup } from './registry.js';
import { EngineError } from '../engine/errors.js';
import { berthVersion } from '../engine/version.js';
import { trace } from '../engine/trace.js';

const USAGE_EXIT = 125;

/** A bad global flag (exit 125, as commander's usage errors). */
class GlobalFlagError extends Error {}

// commander and the command context load only for a command: `--version` and `--help` answer
// without them (commander alone is ~4 ms of start-up). Set once loaded, for printError.
let loaded: { CommanderError: typeof CommanderError; ExitStatus: typeof ExitStatus } | undefined;

function parseGlobals(argv: string[]): { globals: GlobalOptions; rest: string[]; help: boolean; version: boolean } {
  const globals: GlobalOptions = {};
  let i = 0;
  let help = false;
  let version = false;
  const value = (flag: string): string => {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    if (eq > 0) return a.slice(eq + 1);
    const v = argv[++i];
    if (v === undefined) throw new GlobalFlagError(`flag needs an argument: ${flag}`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    const flag = a.split('=')[0]!;
    if (flag === '--root') globals.root = value(flag);
    else if (flag === '--runroot') globals.runRoot = value(flag);
    // Repeatable: several hosts are for the dashboard (host switcher, all-hosts view); a
    // command refuses more than one (CliContext.engine).
    else if (flag === '-H' || flag === '--host') (globals.hosts ??= []).push(value(flag));
    else if (flag === '-c' || flag === '--context') (globals.contexts ??= []).push(value(flag));
    else if (flag === '--tls') (globals.tls ??= {}).tls = boolFlag(a);
    else if (flag === '--tlsverify') (globals.tls ??= {}).verify = boolFlag(a);
    else if (flag === '--tlscacert') (globals.tls ??= {}).caCert = value(flag);
    else if (flag === '--tlscert') (globals.tls ??= {}).cert = value(flag);
    else if (flag === '--tlskey') (globals.tls ??= {}).key = value(flag);
    else if (flag === '-D' || flag === '--debug') globals.debug = true;
    else if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '-v' || flag === '--version') version = true;
    else throw new GlobalFlagError(`unknown flag: ${a}\nSee 'berth --help'.`);
  }
  globals.host = globals.hosts?.[0];
  globals.context = globals.contexts?.[0];
  return { globals, rest: argv.slice(i), help, version };
}

/** `--tlsverify` or `--tlsverify=false`, as docker's boolean flags. */
function boolFlag(arg: string): boolean {
  const eq = arg.indexOf('=');
  if (eq < 0) return true;
  const v = arg.slice(eq + 1).toLowerCase();
  if (['1', 'true', 't'].includes(v)) return true;
  if (['0', 'false', 'f'].includes(v)) return false;
  throw new GlobalFlagError(`invalid boolean value "${arg.slice(eq + 1)}" for ${arg.slice(0, eq)}`);
}

function mainHelp(): string {
  const groups = new Map<string, string[]>();
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  const shortcut = (name: string) => Object.entries(ALIASES).find(([a, c]) => c === name && !a.includes(' '))?.[0];
  for (const [name, e] of Object.entries(COMMANDS)) {
    if (e.hidden) continue;
    const shown = shortcut(name) ?? name;
    (groups.get(e.group) ?? groups.set(e.group, []).get(e.group)!).push(`  ${shown.padEnd(width)}${e.summary}`);
  }
  const order = ['Common', 'Containers', 'Images', 'Management', 'System'];
  const body = order.filter((g) => groups.has(g)).map((g) => `${g} Commands:\n${groups.get(g)!.sort().join('\n')}`).join('\n\n');
  return `Usage:  berth [OPTIONS] COMMAND

A daemonless container engine with a docker-compatible CLI and a terminal dashboard.
Run without a command on a terminal to open the dashboard.

Options:
      --root string      State directory (default "/var/lib/berth", env BERTH_ROOT)
      --runroot string   Runtime directory (default "/run/berth", env BERTH_RUNROOT)
  -H, --host list        Daemon socket to connect to instead of the embedded engine
                         (unix:///path, tcp://host:port, ssh://[user@]host[:port])
  -c, --context list     Name of the context to use
      --tls              Use TLS; implied by --tlsverify
      --tlscacert string Trust certs signed only by this CA (default "~/.docker/ca.pem")
      --tlscert string   Path to TLS certificate file (default "~/.docker/cert.pem")
      --tlskey string    Path to TLS key file (default "~/.docker/key.pem")
      --tlsverify        Use TLS and verify the remote (env DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)
  -D, --debug            Enable debug output
  -h, --help             Print usage
  -v, --version          Print version information and quit

${body}

Several hosts in the dashboard: repeat -H and/or -c (berth -H ssh://admin@prod1 -c staging).
The dashboard's host switcher (H) also offers the embedded engine and every context; A shows
the containers of all hosts at once, with a HOST column. Commands other than the dashboard
take one host.

Run 'berth COMMAND --help' for more information on a command.
`;
}

function printError(ctx: CliContext | undefined, e: unknown): number {
  if (e instanceof GlobalFlagError) {
    process.stderr.write(`${e.message}\n`);
    return USAGE_EXIT;
  }
  if (loaded && e instanceof loaded.ExitStatus) return e.code;
  if (loaded && e instanceof loaded.CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    // commander has printed its own errors (outputError); ours from parseGlobals it has not
    if (e.code.startsWith('berth.')) process.stderr.write(`${e.message.replace(/^error: /, '')}\n`);
    return e.exitCode === 0 ? 0 : USAGE_EXIT;
  }
  if (e instanceof EngineError) {
    process.stderr.write(`Error: ${e.message}\n`);
    if (process.env.BERTH_DEBUG && e.cause) process.stderr.write(`${String((e.cause as Error).stack ?? e.cause)}\n`);
    return ctx?.engineErrorExit === 125 ? (e.kind === 'cmd-not-found' ? 127 : e.kind === 'cmd-not-executable' ? 126 : 125) : 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT' && err.path) {
    process.stderr.write(`Error: ${err.path}: no such file or directory\n`);
    return 1;
  }
  process.stderr.write(`Error: ${err?.message ?? String(e)}\n`);
  if (process.env.BERTH_DEBUG) process.stderr.write(`${err?.stack}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  let ctx: CliContext | undefined;
  try {
    const { globals, rest, help, version } = parseGlobals(argv);
    if (version) {
      process.stdout.write(`berth version ${berthVersion()}\n`);
      return 0;
    }
    if (help || rest[0] === 'help') {
      process.stdout.write(mainHelp());
      return 0;
    }
    const [{ Command, CommanderError }, { CliContext, ExitStatus }] = await Promise.all([import('commander'), import('./context.js')]);
    loaded = { CommanderError, ExitStatus };
    ctx = new CliContext(globals);
    if (rest.length === 0) {
      const { openDashboard } = await import('./dashboard.js');
      return await openDashboard(ctx);
    }
    const found = lookup(rest);
    if (!found) {
      const group = Object.keys(COMMANDS).some((n) => n.startsWith(`${rest[0]} `));
      if (group && (rest.length === 1 || rest[1] === '--help' || rest[1] === '-h')) {
        const subs = Object.entries(COMMANDS).filter(([n, e]) => n.startsWith(`${rest[0]} `) && !e.hidden);
        process.stdout.write(`Usage:  berth ${rest[0]} COMMAND\n\nCommands:\n${subs.map(([n, e]) => `  ${n.split(' ')[1]!.padEnd(12)}${e.summary}`).join('\n')}\n`);
        return rest.length === 1 ? 1 : 0;
      }
      process.stderr.write(`berth: '${rest.slice(0, group ? 2 : 1).join(' ')}' is not a berth command.\nSee 'berth --help'\n`);
      return 1;
    }
    trace(`main: ${found.name}`);
    const mod = (await import(`./${found.entry.file}.js`)) as { define(cmd: Command, ctx: CliContext): void };
    const cmd = new Command(`berth ${found.name}`);
    cmd.summary(found.entry.summary).description(found.entry.summary);
    cmd.exitOverride();
    cmd.configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(`${s.replace(/^error: /, '').trimEnd()}\nSee 'berth ${found.name} --help'.\n`) });
    cmd.helpOption('-h, --help', 'Print usage');
    mod.define(cmd, ctx);
    await cmd.parseAsync(rest.slice(found.used), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return printError(ctx, e);
  } finally {
    trace('command done');
    await ctx?.close().catch(() => undefined);
    trace('engine closed');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    if (process.env['BERTH_TRACE']) process.on('exit', () => trace('exit'));
  },
  (e) => {
    process.stderr.write(`berth: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
