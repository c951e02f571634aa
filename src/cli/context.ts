/** What every command gets: the engine (opened lazily, once), output streams and global options. */
import type { Engine } from '../engine/api.js';
import type { TlsOptions } from '../engine/index.js';
import { EngineError } from '../engine/index.js';
import type { LogLevel } from '../engine/index.js';
import { openDocker, openEmbedded, requireRoot } from '../engine/index.js';
// Static: every engine() reads the contexts, and a dynamic import of a module others import
// statically costs a chunk of its own (esbuild's facade) on every command.
import { resolveHost } from '../engine/docker/contexts.js';

export interface GlobalOptions {
  root?: string;
  runRoot?: string;
  /** The first -H / --context (what a command uses). */
  host?: string;
  context?: string;
  /** Every -H / --context given, in order (the dashboard opens them all). */
  hosts?: string[];
  contexts?: string[];
  /** Only the TLS flags given on the command line (the environment fills the rest). */
  tls?: TlsOptions;
  /** -D: the engine's debug records on stderr (and stacks with errors). */
  debug?: boolean;
  /** -l / --log-level. */
  logLevel?: LogLevel;
}

export class CliContext {
  private engineP?: Promise<Engine>;
  /** Exit code for a failure (exit-codes.ts): docker uses 125 for run/create/exec/start -a, 1 elsewhere. */
  failureExit = 1;

  constructor(
    readonly globals: GlobalOptions,
    readonly stdout: NodeJS.WriteStream = process.stdout,
    readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  engine(): Promise<Engine> {
    this.engineP ??= (async () => {
      // -H, --context, DOCKER_HOST or a current context pick a Docker-API daemon; else embedded.
      const named = (this.globals.hosts?.length ?? 0) + (this.globals.contexts?.length ?? 0);
      if (named > 1) throw new EngineError('invalid', 'several hosts (-H/--context) are for the dashboard; a command takes one');
      const choice = resolveHost(this.globals);
      if (choice.kind === 'docker') {
        this.engineLabel = choice.context ? `${choice.context} (${choice.host})` : choice.host;
        return openDocker({ host: choice.host, tls: choice.tls });
      }
      requireRoot(); // before loading the engine: refused in one line, nothing touched
      this.engineLabel = choice.context === 'default' ? 'embedded' : `embedded (${choice.context})`;
      return openEmbedded({ root: this.globals.root, runRoot: this.globals.runRoot });
    })();
    return this.engineP;
  }

  /** What the engine is, for the dashboard's header: "embedded", "ctx (ssh://host)", a host. */
  engineLabel = 'embedded';

  /** Writes text (or bytes, as template output is) ending it with a newline unless it has one. */
  out(text: string | Uint8Array): void {
    if (typeof text !== 'string') {
      this.stdout.write(text.length === 0 || text[text.length - 1] === 0x0a ? text : Buffer.concat([text, Buffer.from('\n')]));
      return;
    }
    this.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  }

  async close(): Promise<void> {
    if (this.engineP) await (await this.engineP).close();
  }
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Repeated `--filter key=value` flags as a map, docker-style. */
export function filtersOf(list: string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of list) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new Error(`bad format of filter (expected name=value): ${f}`);
    (out[f.slice(0, eq)] ??= []).push(f.slice(eq + 1));
  }
  return out;
}
