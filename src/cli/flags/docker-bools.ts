/**
 * docker's boolean flags also take a value (`--rm=false`, `--sig-proxy=false`, `-d=true`);
 * commander's take none. Before commander parses, those forms of the command's own boolean
 * flags are rewritten: a true value to the bare flag, a false one to its `--no-` form where
 * there is one, or to nothing (a plain boolean is false unless given). Only the options before
 * the first argument are looked at: after it may come a container's command and its own flags.
 */
import type { Command, Option } from 'commander';

const TRUE = ['1', 't', 'true'];
const FALSE = ['0', 'f', 'false'];

export function dockerBools(cmd: Command, args: readonly string[]): string[] {
  const out: string[] = [];
  const byFlag = (flag: string): Option | undefined => cmd.options.find((o) => o.long === flag || o.short === flag);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' || !a.startsWith('-') || a === '-') {
      out.push(...args.slice(i));
      break;
    }
    const eq = a.indexOf('=');
    const option = byFlag(eq > 0 ? a.slice(0, eq) : a);
    if (!option || option.required || option.optional) {
      out.push(a);
      // a value of its own follows, unless given with "="
      if (option?.required && eq < 0 && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (eq < 0) {
      out.push(a);
      continue;
    }
    const v = a.slice(eq + 1).toLowerCase();
    const name = option.long ?? option.short!;
    if (TRUE.includes(v)) out.push(name);
    else if (FALSE.includes(v)) {
      const negation = option.long && !option.negate ? byFlag(option.long.replace(/^--/, '--no-')) : undefined;
      if (negation) out.push(negation.long!);
    } else out.push(a); // not a boolean word: commander's own complaint
  }
  return out;
}
