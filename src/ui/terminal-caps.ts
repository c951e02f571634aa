/**
 * What the terminal can show, decided once from the environment: colour (NO_COLOR,
 * https://no-color.org; TERM=dumb) and UTF-8 (the locale variables, in POSIX precedence).
 */
export interface TerminalCaps {
  color: boolean;
  unicode: boolean;
}

export function detectCaps(env: NodeJS.ProcessEnv = process.env): TerminalCaps {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const dumb = env['TERM'] === 'dumb';
  // LC_ALL overrides LC_CTYPE, which overrides LANG; the first one set decides.
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  const unicode = /utf-?8/i.test(locale) && env['BERTH_ASCII'] !== '1';
  return { color: !noColor && !dumb, unicode };
}

/** The dashboard needs an interactive terminal on both ends. */
export function isInteractiveTerminal(stdin: { isTTY?: boolean } = process.stdin, stdout: { isTTY?: boolean } = process.stdout): boolean {
  return Boolean(stdin.isTTY && stdout.isTTY);
}
