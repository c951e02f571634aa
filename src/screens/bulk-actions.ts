/**
 * start / stop / restart / pause / kill / remove on every marked container: one question naming
 * how many ("Stop 2 containers? web, db"), then each container in turn, so one failure neither
 * stops the others nor hides their results; the status line says what worked and, per container,
 * what did not, with the berth command that does the same.
 */
import type { Command } from '../ui/bindings.js';
import type { ContainerRow } from './containers-view.js';
import { containerName } from './containers-view.js';
import type { ContainerActionDeps } from './container-actions.js';
import { cliLine, withCli, type CliAction } from './action-command.js';

export const BULK_COMMANDS: readonly Command[] = ['start', 'stop', 'restart', 'pause', 'kill', 'remove'];

type Verb = { ask: string; progress: string; done: string; kind: 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove' };

const VERBS: Record<string, Verb> = {
  start: { ask: 'Start', progress: 'Starting', done: 'Started', kind: 'start' },
  stop: { ask: 'Stop', progress: 'Stopping', done: 'Stopped', kind: 'stop' },
  restart: { ask: 'Restart', progress: 'Restarting', done: 'Restarted', kind: 'restart' },
  pause: { ask: 'Pause', progress: 'Pausing', done: 'Paused', kind: 'pause' },
  unpause: { ask: 'Unpause', progress: 'Unpausing', done: 'Unpaused', kind: 'unpause' },
  kill: { ask: 'Kill', progress: 'Killing', done: 'Killed', kind: 'kill' },
  remove: { ask: 'Remove', progress: 'Removing', done: 'Removed', kind: 'remove' },
};

const plural = (n: number) => `${n} container${n === 1 ? '' : 's'}`;

/** "web, db, cache and 4 more": the question names them, within reason. */
export function nameList(names: readonly string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Which containers a bulk command acts on, and as what (p pauses the running ones, or else unpauses). */
export function bulkPlan(cmd: Command, rows: readonly ContainerRow[]): { verb: Verb; rows: ContainerRow[] } | undefined {
  if (!BULK_COMMANDS.includes(cmd)) return undefined;
  if (cmd === 'pause') {
    const running = rows.filter((c) => c.state === 'running');
    return running.length ? { verb: VERBS['pause']!, rows: running } : { verb: VERBS['unpause']!, rows: rows.filter((c) => c.state === 'paused') };
  }
  if (cmd === 'start') return { verb: VERBS['start']!, rows: rows.filter((c) => c.state !== 'running' && c.state !== 'paused') };
  if (cmd === 'stop' || cmd === 'kill')
    return { verb: VERBS[cmd]!, rows: rows.filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting') };
  return { verb: VERBS[cmd]!, rows: [...rows] };
}

/** The berth command(s) for the whole batch: one per host (embedded: one line). */
function batchCli(verb: Verb, rows: readonly ContainerRow[], d: ContainerActionDeps): string {
  const byHost = new Map<string | undefined, string[]>();
  for (const c of rows) byHost.set(c.host, [...(byHost.get(c.host) ?? []), containerName(c)]);
  const force = verb.kind === 'remove' && rows.some((c) => c.state === 'running' || c.state === 'paused');
  return [...byHost]
    .map(([host, names]) => cliLine((verb.kind === 'remove' ? { kind: 'remove', names, force } : { kind: verb.kind, names }) as CliAction, d.hostOf?.(host)))
    .join('; ');
}

/**
 * `project`: the rows are a compose project's (a heading in the grouped list), and the question
 * and messages name it.
 */
export function bulkAction(cmd: Command, marked: readonly ContainerRow[], d: ContainerActionDeps, project?: string): boolean {
  const plan = bulkPlan(cmd, marked);
  if (!plan) return false;
  const { verb, rows } = plan;
  if (!rows.length) {
    const which = project === undefined ? `the ${plural(marked.length)} marked` : `the ${plural(marked.length)} of project ${project}`;
    d.setStatus({ kind: 'info', text: `None of ${which} can be ${verb.done.toLowerCase()}` });
    return true;
  }
  const names = rows.map(containerName);
  const running = rows.filter((c) => c.state === 'running' || c.state === 'paused').length;
  const tail = verb.kind === 'remove' && running ? ` ${running} running: killed first.` : verb.kind === 'kill' ? ' (SIGKILL)' : '';
  const what = project === undefined ? plural(rows.length) : `${plural(rows.length)} of project ${project}`;
  d.openOverlay({ kind: 'confirm', message: `${verb.ask} ${what}? ${nameList(names)}${tail}`, onYes: () => void runBulk(verb, rows, d) });
  return true;
}

async function runBulk(verb: Verb, rows: readonly ContainerRow[], d: ContainerActionDeps): Promise<void> {
  const failed: string[] = [];
  const hosts = new Set<string | undefined>();
  let done = 0;
  for (const c of rows) {
    const name = containerName(c);
    d.setStatus({ kind: 'progress', text: `${verb.progress} ${name} (${done + failed.length + 1}/${rows.length})` });
    hosts.add(c.host);
    const e = d.engineFor(c.host);
    try {
      if (!e) throw new Error(`${c.host} is not connected`);
      const api = e.containers;
      const running = c.state === 'running' || c.state === 'paused';
      await (verb.kind === 'remove' ? api.remove(c.id, { force: running }) : verb.kind === 'kill' ? api.kill(c.id, 'SIGKILL') : api[verb.kind](c.id));
      done++;
    } catch (err) {
      failed.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const cli = batchCli(verb, rows, d);
  d.setStatus(
    failed.length
      ? { kind: 'error', text: withCli(`${verb.done} ${done} of ${rows.length}; ${failed.join('; ')}`, cli) }
      : { kind: 'ok', text: withCli(`${verb.done} ${plural(done)}: ${nameList(rows.map(containerName))}`, cli) },
  );
  const kinds = verb.kind === 'remove' ? (['containers', 'images', 'networks', 'volumes'] as const) : (['containers'] as const);
  await Promise.all([...hosts].map((h) => d.refresh(kinds, h)));
}
