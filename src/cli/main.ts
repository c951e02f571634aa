/**
 * berth's command line: global options, then a docker-style command found by name in the
 * registry and loaded on demand (dispatch.ts). Errors become one line on stderr and docker's
 * exit codes. `--version` and `--help` answer here, without loading commander, the command
 * context or the engine.
 */
import type { GlobalOptions } from './context.js';
import { COMMANDS, ALIASES } from './registry.js';
import { berthVersion } from '../engine/index.js';
import { trace } from '../engine/index.js';
import { isLogLevel } from '../engine/index.js';
import { reportError, StatusError, UsageError } from './exit-codes.js';
import { flagNeedsArgument, unknownFlag } from './flags/flag-messages.js';
import { logToStderr } from './log-output.js';

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
    if (v === undefined) throw new UsageError(flagNeedsArgument(flag));
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
    else if (flag === '-D' || flag === '--debug') globals.debug = boolFlag(a);
    else if (flag === '-l' || flag === '--log-level') {
      const level = value(flag);
      // docker's wording and exit code (1, not a flag error's 125)
      if (!isLogLevel(level)) throw new StatusError(`Unable to parse logging level: ${level}`, 1);
      globals.logLevel = level;
    } else if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '-v' || flag === '--version') version = true;
    else throw new UsageError(unknownFlag(a));
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
  throw new UsageError(
    `invalid argument "${arg.slice(eq + 1)}" for "${arg.slice(0, eq)}" flag: strconv.ParseBool: parsing "${arg.slice(eq + 1)}": invalid syntax`,
  );
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
  const body = order
    .filter((g) => groups.has(g))
    .map((g) => `${g} Commands:\n${groups.get(g)!.sort().join('\n')}`)
    .join('\n\n');
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
  -D, --debug            Enable debug output (the engine's log records on stderr)
  -l, --log-level string Set the logging level ("debug", "info", "warn", "error", "fatal")
                         (default "info")
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

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseGlobals>;
  try {
    parsed = parseGlobals(argv);
  } catch (e) {
    return reportError(e, { failureExit: 1 });
  }
  const { globals, rest, help, version } = parsed;
  // -D wins over -l, as docker's
  if (globals.debug || globals.logLevel) logToStderr(globals.debug ? 'debug' : globals.logLevel!);
  if (version) {
    process.stdout.write(`berth version ${berthVersion()}\n`);
    return 0;
  }
  if (help || rest[0] === 'help') {
    process.stdout.write(mainHelp());
    return 0;
  }
  const { dispatch } = await import('./dispatch.js');
  return dispatch(globals, rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    if (process.env['BERTH_TRACE']) process.on('exit', () => trace('exit'));
  },
  (e) => {
    process.exitCode = reportError(e, { failureExit: 1 });
  },
);
