/**
 * Runs a command (or the dashboard) after main.ts parsed the global flags: finds it in the
 * registry, loads its module, defines it on commander and parses its flags; turns errors into
 * one line on stderr and docker's exit codes.
 */
import { Command, CommanderError } from 'commander';
import { CliContext, ExitStatus, type GlobalOptions } from './context.js';
import { COMMANDS, lookup } from './registry.js';
import { EngineError } from '../engine/errors.js';
import { FormatFailure } from './format/failure.js';
import { trace } from '../engine/trace.js';

const USAGE_EXIT = 125;

function printError(ctx: CliContext | undefined, e: unknown): number {
  if (e instanceof ExitStatus) return e.code;
  // Template failures: docker's own text ("template parsing error: …") and exit code.
  if (e instanceof FormatFailure) {
    process.stderr.write(`${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    // commander has printed its own errors (outputError); ours (usage-error.ts) it has not
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

export async function dispatch(globals: GlobalOptions, rest: string[]): Promise<number> {
  let ctx: CliContext | undefined;
  try {
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
