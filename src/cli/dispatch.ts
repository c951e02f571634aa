/**
 * Runs a command (or the dashboard) after main.ts parsed the global flags: finds it in the
 * registry, loads its module, defines it on commander and parses its flags; turns errors into
 * one line on stderr and docker's exit codes.
 */
import { Command, CommanderError } from 'commander';
import { CliContext, type GlobalOptions } from './context.js';
import { COMMANDS, lookup } from './registry.js';
import { reportError } from './exit-codes.js';
import { fromCommander } from './flags/commander-errors.js';
import { dockerBools } from './flags/docker-bools.js';
import { trace } from '../engine/index.js';

export async function dispatch(globals: GlobalOptions, rest: string[]): Promise<number> {
  let ctx: CliContext | undefined;
  // For error messages: the command as typed ("ps", "container ls") and its commander Command.
  let typed: string | undefined;
  let cmd: Command | undefined;
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
        process.stdout.write(
          `Usage:  berth ${rest[0]} COMMAND\n\nCommands:\n${subs.map(([n, e]) => `  ${n.split(' ')[1]!.padEnd(12)}${e.summary}`).join('\n')}\n`,
        );
        return 0; // as docker's `docker volume`
      }
      process.stderr.write(`berth: '${rest.slice(0, group ? 2 : 1).join(' ')}' is not a berth command.\nSee 'berth --help'\n`);
      return 1;
    }
    trace(`main: ${found.name}`);
    typed = rest.slice(0, found.used).join(' ');
    const mod = (await import(`./${found.entry.file}.js`)) as { define(cmd: Command, ctx: CliContext): void };
    cmd = new Command(`berth ${found.name}`);
    cmd.summary(found.entry.summary).description(found.entry.summary);
    cmd.exitOverride();
    // Errors are printed once, by exit-codes.ts, in docker's words (flags/commander-errors.ts).
    cmd.configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => undefined });
    cmd.helpOption('-h, --help', 'Print usage');
    mod.define(cmd, ctx);
    await cmd.parseAsync(dockerBools(cmd, rest.slice(found.used)), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const err = e instanceof CommanderError && cmd && typed !== undefined ? fromCommander(e, cmd, rest, typed) : e;
    return reportError(err, { ...(typed !== undefined ? { command: typed } : {}), failureExit: ctx?.failureExit ?? 1 });
  } finally {
    trace('command done');
    await ctx?.close().catch(() => undefined);
    trace('engine closed');
  }
}
