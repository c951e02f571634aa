/**
 * Flags with a type (docker's int, bytes, filter, …), checked while commander parses, before a
 * command runs or opens an engine: a bad value is a usage error (exit 125) with pflag's
 * wording. The placeholder in the flags (`<int>`) names the type; test/cli/flag-errors.test.ts
 * feeds every typed flag of every command a bad value.
 */
import { Option } from 'commander';
import { usageError } from './usage-error.js';
import { invalidFlagValue, parseIntReason } from './flag-messages.js';

/** "-t, --time <int>" → "-t, --time", as docker names a flag in its messages. */
export function flagLabel(option: Option): string {
  return option.flags.replace(/\s*[<[].*$/, '');
}

/** `-t, --time <int>`: a whole number (Go's ParseInt syntax), given to the action as a number. */
export function intOption(flags: string, description: string): Option {
  const o = new Option(flags, description);
  return o.argParser((v: string) => {
    if (!/^[+-]?\d+$/.test(v)) throw usageError(invalidFlagValue(v, flagLabel(o), parseIntReason(v)));
    return Number(v);
  });
}

/** `-f, --filter <filter>`: repeated `name=value`, collected in order. */
export function filterOption(flags: string, description: string): Option {
  const o = new Option(flags, description);
  return o.argParser((v: string, previous: string[] | undefined) => {
    if (v.indexOf('=') <= 0) throw usageError(invalidFlagValue(v, flagLabel(o), 'bad format of filter (expected name=value)'));
    return [...(previous ?? []), v];
  });
}

/** `-n, --tail <string>`: a line count or "all" (docker: anything else is refused). */
export function tailOption(flags: string, description: string): Option {
  const o = new Option(flags, description).default('all');
  return o.argParser((v: string) => {
    if (v !== 'all' && !/^\d+$/.test(v)) throw usageError(invalidFlagValue(v, flagLabel(o), 'expected a number of lines or "all"'));
    return v;
  });
}
