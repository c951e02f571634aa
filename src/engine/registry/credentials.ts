/**
 * Registry credentials kept where and as docker keeps them: $DOCKER_CONFIG/config.json (default
 * ~/.docker/config.json, mode 0600) with `auths.<server>.auth` = base64(user:password), or a
 * credential helper (`credHelpers.<server>` / `credsStore`) run as `docker-credential-<name>
 * get|store|erase` with the server on stdin. Docker Hub's key is https://index.docker.io/v1/.
 * Secrets never appear in errors or logs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { invalid } from '../errors.js';

export interface Credentials {
  username: string;
  password: string;
}

export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

export function dockerConfigDir(): string {
  return process.env.DOCKER_CONFIG ?? join(process.env.HOME || homedir(), '.docker');
}
export function dockerConfigPath(): string {
  return join(dockerConfigDir(), 'config.json');
}

/** The key docker files a registry's credentials under. */
export function serverKey(domain: string): string {
  return domain === 'docker.io' || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? DOCKER_HUB_KEY : domain;
}

type ConfigDoc = Record<string, unknown> & {
  auths?: Record<string, { auth?: string; identitytoken?: string } & Record<string, unknown>>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
};

function readConfig(): ConfigDoc {
  let text: string;
  try {
    text = readFileSync(dockerConfigPath(), 'utf8');
  } catch {
    return {};
  }
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid(`${dockerConfigPath()} is not valid JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${dockerConfigPath()} is not a JSON object`);
  const doc = v as ConfigDoc;
  if (doc.auths !== undefined && (typeof doc.auths !== 'object' || doc.auths === null)) throw invalid(`${dockerConfigPath()}: "auths" is not an object`);
  if (doc.credsStore !== undefined && typeof doc.credsStore !== 'string') throw invalid(`${dockerConfigPath()}: "credsStore" is not a string`);
  return doc;
}

function writeConfig(doc: ConfigDoc): void {
  const dir = dockerConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = dockerConfigPath();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, '\t')}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

function helperFor(doc: ConfigDoc, key: string): string | undefined {
  const h = doc.credHelpers?.[key];
  if (typeof h === 'string' && h) return h;
  return doc.credsStore || undefined;
}

function runHelper(name: string, verb: 'get' | 'store' | 'erase', input: string): Promise<{ code: number; out: string }> {
  if (!/^[\w.-]+$/.test(name)) return Promise.reject(invalid(`invalid credential helper name: ${name}`));
  return new Promise((resolve, reject) => {
    const p = spawn(`docker-credential-${name}`, [verb], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.resume();
    p.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        invalid(
          e.code === 'ENOENT' ? `credential helper docker-credential-${name} is not installed` : `credential helper docker-credential-${name}: ${e.message}`,
        ),
      ),
    );
    p.on('close', (code) => resolve({ code: code ?? 1, out }));
    p.stdin.end(input);
  });
}

export async function getCredentials(domain: string): Promise<Credentials | undefined> {
  const doc = readConfig();
  const key = serverKey(domain);
  const helper = helperFor(doc, key);
  if (helper) {
    const r = await runHelper(helper, 'get', key);
    if (r.code !== 0) return undefined; // "credentials not found in native keychain"
    let v: unknown;
    try {
      v = JSON.parse(r.out);
    } catch {
      throw invalid(`credential helper docker-credential-${helper} returned invalid JSON`);
    }
    const o = v as { Username?: unknown; Secret?: unknown };
    if (typeof o?.Username !== 'string' || typeof o.Secret !== 'string')
      throw invalid(`credential helper docker-credential-${helper} returned an invalid answer`);
    return { username: o.Username, password: o.Secret };
  }
  const entry = doc.auths?.[key] ?? (key === DOCKER_HUB_KEY ? undefined : (doc.auths?.[`https://${key}`] ?? doc.auths?.[`http://${key}`]));
  if (!entry || typeof entry.auth !== 'string' || entry.auth === '') return undefined;
  const text = Buffer.from(entry.auth, 'base64').toString();
  const colon = text.indexOf(':');
  if (colon < 0) throw invalid(`${dockerConfigPath()}: the stored credentials for ${key} are malformed`);
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Stores credentials; returns where (a helper's name, or the file). */
export async function storeCredentials(domain: string, c: Credentials): Promise<string> {
  const doc = readConfig();
  const key = serverKey(domain);
  const helper = helperFor(doc, key);
  if (helper) {
    const r = await runHelper(helper, 'store', JSON.stringify({ ServerURL: key, Username: c.username, Secret: c.password }));
    if (r.code !== 0) throw invalid(`error storing credentials with docker-credential-${helper}`);
    // docker keeps an empty entry so `auths` lists the server
    doc.auths = { ...(doc.auths ?? {}), [key]: {} };
    writeConfig(doc);
    return `docker-credential-${helper}`;
  }
  doc.auths = { ...(doc.auths ?? {}), [key]: { auth: Buffer.from(`${c.username}:${c.password}`).toString('base64') } };
  writeConfig(doc);
  return dockerConfigPath();
}

/** Removes credentials; false when there were none. */
export async function eraseCredentials(domain: string): Promise<boolean> {
  const doc = readConfig();
  const key = serverKey(domain);
  const helper = helperFor(doc, key);
  let had = !!doc.auths?.[key];
  if (helper) {
    const r = await runHelper(helper, 'erase', key);
    had ||= r.code === 0;
  }
  if (doc.auths?.[key]) {
    delete doc.auths[key];
    writeConfig(doc);
  }
  return had;
}
