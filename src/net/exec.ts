/** Runs a host tool (ip, iptables, nsenter, CNI plugins) and collects its output. */
import { spawn } from 'node:child_process';
import { netRuntime } from './errors.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Return non-zero exits instead of throwing. */
  allowFail?: boolean;
  timeoutMs?: number;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(netRuntime(`cannot run ${cmd}: ${e.message}`, e)));
    child.on('close', (code, signal) => {
      const r = { code: code ?? 128, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (signal) r.stderr += `killed by ${signal}`;
      if (r.code !== 0 && !opts.allowFail) {
        reject(netRuntime(`${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`));
      } else resolve(r);
    });
    // A plugin that exits without reading stdin gives EPIPE: its exit status tells the story.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
