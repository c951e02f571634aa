/**
 * docker's wording (pflag's) for flag mistakes, so scripts and people that match on docker's
 * messages see the same text from berth. No commander import: main.ts uses these too.
 */

/** `--name` → "unknown flag: --name"; `-x` → "unknown shorthand flag: 'x' in -x". */
export function unknownFlag(arg: string): string {
  const flag = arg.split('=')[0]!;
  if (flag.startsWith('--') || flag.length < 2) return `unknown flag: ${flag}`;
  return `unknown shorthand flag: '${flag[1]}' in ${flag}`;
}

/** `--time` → "flag needs an argument: --time"; `-t` → "flag needs an argument: 't' in -t". */
export function flagNeedsArgument(flag: string): string {
  if (flag.startsWith('--')) return `flag needs an argument: ${flag}`;
  return `flag needs an argument: '${flag.slice(1, 2)}' in ${flag}`;
}

/** `invalid argument "abc" for "-t, --time" flag: REASON`. */
export function invalidFlagValue(value: string, label: string, reason: string): string {
  return `invalid argument "${value}" for "${label}" flag: ${reason}`;
}

/** Go's strconv.ParseInt complaint, which docker prints for every integer flag. */
export function parseIntReason(value: string): string {
  return `strconv.ParseInt: parsing "${value}": invalid syntax`;
}
