/**
 * commander's parse errors in docker's words and with docker's exit codes: flag mistakes exit
 * 125, a wrong number of arguments exits 1 (cobra's argument checks are plain errors in docker).
 * commander itself prints nothing (dispatch.ts silences it); exit-codes.ts prints the result.
 */
import type { Command, CommanderError, Option } from 'commander';
import { ExitStatus, StatusError, UsageError } from '../exit-codes.js';
import { flagNeedsArgument, unknownFlag } from './flag-messages.js';

/** "'berth stop' requires at least 1 argument", from the command's declared arguments. */
export function arityMessage(cmd: Command, typed: string): string {
  const args = cmd.registeredArguments;
  const min = args.filter((a) => a.required).length;
  const variadic = args.at(-1)?.variadic ?? false;
  const max = args.length;
  const n = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  const who = `'berth ${typed}'`;
  if (max === 0) return `${who} accepts no arguments`;
  if (variadic) return `${who} requires at least ${n(min)}`;
  if (min === max) return `${who} requires ${n(min)}`;
  if (min === 0) return `${who} requires at most ${n(max)}`;
  return `${who} requires at least ${min} and at most ${n(max)}`;
}

/** The flag as the user typed it (-t or --time), for docker's "flag needs an argument". */
function typedFlag(option: Option | undefined, argv: readonly string[]): string | undefined {
  if (!option) return undefined;
  for (let i = argv.length - 1; i >= 0; i--) {
    const a = argv[i]!;
    if (option.long && (a === option.long || a.startsWith(`${option.long}=`))) return option.long;
    if (option.short && a.startsWith(option.short)) return option.short;
  }
  return option.long ?? option.short;
}

const quoted = (message: string, re: RegExp) => re.exec(message)?.[1];

/** What to report for one of commander's errors (ExitStatus for help and version: exit 0). */
export function fromCommander(e: CommanderError, cmd: Command, argv: readonly string[], typed: string): Error {
  const message = e.message.replace(/^error: /, '');
  switch (e.code) {
    case 'commander.helpDisplayed':
    case 'commander.help':
    case 'commander.version':
      return new ExitStatus(e.exitCode);
    case 'commander.unknownOption':
      return new UsageError(unknownFlag(quoted(message, /unknown option '([^']+)'/) ?? message));
    case 'commander.optionMissingArgument': {
      const flags = quoted(message, /option '(.+)' argument missing/);
      const flag = typedFlag(
        cmd.options.find((o) => o.flags === flags),
        argv,
      );
      return new UsageError(flag ? flagNeedsArgument(flag) : message);
    }
    case 'commander.missingMandatoryOptionValue': {
      const flags = quoted(message, /required option '(.+)' not specified/);
      const option = cmd.options.find((o) => o.flags === flags);
      // cobra's required-flag check, which docker reports as a plain error (exit 1)
      return new StatusError(`required flag(s) "${option?.long?.replace(/^--/, '') ?? flags}" not set`, 1, true);
    }
    case 'commander.missingArgument':
    case 'commander.excessArguments':
      return new StatusError(arityMessage(cmd, typed), 1, true);
    default:
      return new UsageError(message);
  }
}
