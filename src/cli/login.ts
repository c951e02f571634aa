/** `berth login [-u USER] [-p PASS | --password-stdin] [SERVER]`: credentials kept as docker keeps them. */
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import type { CliContext } from './context.js';
import { login } from '../engine/registry/login.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString()
    .replace(/\r?\n$/, '');
}

async function prompt(q: string, hidden: boolean): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('Cannot perform an interactive login from a non TTY device');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden)
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(q)) process.stderr.write(q);
    };
  try {
    return await new Promise<string>((resolve) => rl.question(q, resolve));
  } finally {
    rl.close();
    if (hidden) process.stderr.write('\n');
  }
}

export function domainOf(server?: string): string {
  if (!server) return 'docker.io';
  const s = server
    .replace(/^https?:\/\//, '')
    .replace(/\/v[12]\/?$/, '')
    .replace(/\/$/, '');
  return s === 'index.docker.io' || s === 'registry-1.docker.io' ? 'docker.io' : s;
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .option('-u, --username <string>', 'Username')
    .option('-p, --password <string>', 'Password')
    .option('--password-stdin', 'Take the password from stdin')
    .argument('[server]')
    .action(async (server: string | undefined, o: { username?: string; password?: string; passwordStdin?: boolean }) => {
      if (o.password && o.passwordStdin) throw new Error('--password and --password-stdin are mutually exclusive');
      if (o.passwordStdin && !o.username) throw new Error('Must provide --username with --password-stdin');
      if (o.password) process.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
      const domain = domainOf(server);
      const username = o.username ?? (await prompt('Username: ', false));
      const password = o.passwordStdin ? await readStdin() : (o.password ?? (await prompt('Password: ', true)));
      if (!username) throw new Error('Error: Non-null Username Required');
      if (!password) throw new Error('Error: Non-null Password Required');
      const where = await login(domain, { username, password });
      if (!where.startsWith('docker-credential-')) {
        process.stderr.write(
          `WARNING! Your password will be stored unencrypted in ${where}.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/engine/reference/commandline/login/#credentials-store\n\n`,
        );
      }
      ctx.out('Login Succeeded');
    });
}
