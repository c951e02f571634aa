/**
 * No registry secret reaches berth's output, errors, inspect documents, state or process list
 * (issue 8). Two local registries, htpasswd (Basic) and Bearer tokens, each with a password
 * made up for this run; berth logs in (also with wrong passwords), pushes, pulls (by `pull`, by
 * `run` of a missing image, by `build FROM`), fails on purpose with BERTH_DEBUG's stack traces
 * on, uses a credential helper, and logs out. Then everything berth printed, the files under
 * every state root and runroot (database, WAL, logs), and the process list sampled while each
 * command ran are searched for the passwords, their base64 forms and the start of a bearer
 * token. The credentials file is where they belong: it must be 0600 in a 0700 directory.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BERTH, Sandbox } from '../helpers/berth.js';
import { LocalRegistry, TokenService } from '../helpers/registry.js';
import { busyboxTarball } from '../fixtures/busybox.js';
import { Needles, filesBelow, scanFiles, scanProcesses } from './secret-scan.js';
import { RedirectFront } from './redirect-front.js';

// made up per run, so a hit can only come from this run's berth
const secret = (what: string) => `${what}-${randomBytes(12).toString('hex')}`;
const ALICE = { user: 'alice-sec', password: secret('BasicPw') };
const BOB = { user: 'bob-sec', password: secret('BearerPw') };
const WRONG = secret('WrongPw');
const STALE = secret('StalePw'); // a stored password the registry no longer accepts

const needles = new Needles()
  .password('the Basic password', ALICE.user, ALICE.password)
  .password('the Bearer password', BOB.user, BOB.password)
  .password('a wrong password', ALICE.user, WRONG)
  .password('a wrong password', BOB.user, WRONG)
  .password('a stale stored password', ALICE.user, STALE)
  // every token the test token service issues starts with this header (RS256 JWT with x5c)
  .add('a bearer token', Buffer.from('{"alg":"RS256","typ":"JWT","x5c":[').toString('base64url').slice(0, 40));

const dockerConfig = mkdtempSync(join(tmpdir(), 'berth-secrets-cfg-'));
const helperBin = mkdtempSync(join(tmpdir(), 'berth-secrets-helper-'));
const helperStore = join(helperBin, 'store.json');
let basic: LocalRegistry | undefined;
let bearer: LocalRegistry | undefined;
let tokens: TokenService | undefined;
const sandboxes: Sandbox[] = [];

interface Ran {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}
const transcript: Ran[] = [];
const processHits = new Set<string>();

function sandbox(name: string): Sandbox {
  const s = new Sandbox(name);
  sandboxes.push(s);
  return s;
}

/** Runs berth (async, so the process list can be sampled while it runs) and keeps what it printed. */
async function berth(sb: Sandbox, args: string[], o: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  const child = spawn(BERTH, args, { env: { ...sb.env, DOCKER_CONFIG: dockerConfig, ...o.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => {});
  child.stdin.end(o.input ?? '');
  let running = true;
  const done = new Promise<number | null>((r) => child.on('close', (c) => ((running = false), r(c))));
  while (running) {
    for (const h of scanProcesses(needles, child.pid!)) processHits.add(`${h} (during berth ${args[0]})`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const ran = { args, code: await done, stdout, stderr };
  transcript.push(ran);
  return ran;
}

async function ok(sb: Sandbox, args: string[], o?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  const r = await berth(sb, args, o);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A failure: non-zero, and (without BERTH_DEBUG) one line on stderr that says why. */
async function fails(sb: Sandbox, args: string[], why: RegExp, o: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const r = await berth(sb, args, o);
  assert.notEqual(r.code, 0, `berth ${args.join(' ')} succeeded`);
  assert.match(r.stderr, why);
  if (!o.env?.BERTH_DEBUG) assert.equal(r.stderr.trim().split('\n').length, 1, `not one line: ${r.stderr}`);
}

before(async () => {
  basic = await LocalRegistry.start({ htpasswd: { [ALICE.user]: ALICE.password } });
  tokens = new TokenService(mkdtempSync(join(tmpdir(), 'berth-secrets-tokens-')), { [BOB.user]: BOB.password });
  await tokens.start();
  bearer = await LocalRegistry.start({ token: tokens });
  // a docker-credential-<name> speaking the helper protocol, keeping what it is given in a file
  writeFileSync(
    join(helperBin, 'docker-credential-berthsec'),
    `#!/bin/sh\nin=$(cat)\ncase "$1" in\n get) if [ -f ${helperStore} ]; then cat ${helperStore}; else echo "credentials not found in native keychain"; exit 1; fi ;;\n store) umask 077; printf '%s' "$in" > ${helperStore} ;;\n erase) rm -f ${helperStore} ;;\nesac\n`,
    { mode: 0o755 },
  );
});

after(async () => {
  try {
    for (const s of sandboxes) s.dispose();
  } finally {
    await basic?.stop();
    await bearer?.stop();
    await tokens?.stop();
    if (tokens) rmSync(tokens.dir, { recursive: true, force: true });
    rmSync(dockerConfig, { recursive: true, force: true });
    rmSync(helperBin, { recursive: true, force: true });
  }
});

test('logins, pushes, pulls, builds and failures leave no registry secret in output, state or processes', async () => {
  const pusher = sandbox('berth-sec-push');
  const puller = sandbox('berth-sec-pull');
  const fresh = sandbox('berth-sec-fresh');
  const cfgFile = join(dockerConfig, 'config.json');
  await ok(pusher, ['import', '-c', 'CMD ["sh"]', busyboxTarball(), 'busybox']);

  // Basic: a wrong password is refused and stored nowhere; the right one is kept, 0600
  const basicRef = `${basic!.host}/sec/busybox:1`;
  await fails(pusher, ['login', '-u', ALICE.user, '--password-stdin', basic!.host], /unauthorized/i, { input: WRONG });
  await fails(pusher, ['login', '-u', ALICE.user, '--password-stdin', basic!.host], /unauthorized/i, { input: WRONG, env: { BERTH_DEBUG: '1' } });
  await ok(pusher, ['login', '-u', ALICE.user, '--password-stdin', basic!.host], { input: `${ALICE.password}\n` });
  assert.equal(statSync(cfgFile).mode & 0o777, 0o600);
  assert.equal(statSync(dockerConfig).mode & 0o777, 0o700);
  assert.deepEqual(needles.in(readFileSync(cfgFile)), ['the Basic password with its user in base64'], 'the credentials file holds exactly the auth entry');
  await ok(pusher, ['tag', 'busybox', basicRef]);
  await ok(pusher, ['push', basicRef]);
  await ok(puller, ['pull', basicRef]);
  await ok(puller, ['image', 'inspect', basicRef]);
  await ok(puller, ['history', basicRef]);
  const ctr = (await ok(puller, ['run', '-d', '--net', 'none', basicRef, 'sleep', '60'])).trim();
  await ok(puller, ['inspect', ctr]);
  await ok(puller, ['logs', ctr]);
  await ok(puller, ['rm', '-f', ctr]);
  await ok(puller, ['images']);
  await ok(puller, ['info']);
  await fails(puller, ['pull', `${basic!.host}/sec/none:1`], /manifest unknown|not found/i);
  await fails(puller, ['pull', `${basic!.host}/sec/none:1`], /manifest unknown|not found/i, { env: { BERTH_DEBUG: '1' } });
  // the other ways berth pulls: run of a missing image, and build FROM
  assert.equal(await ok(fresh, ['run', '--rm', '--net', 'none', basicRef, 'echo', 'pulled by run']), 'pulled by run\n');
  const ctx = join(fresh.dir, 'build');
  mkdirSync(ctx);
  writeFileSync(join(ctx, 'Dockerfile'), `FROM ${basic!.host}/sec/busybox:1\nRUN echo built > /built\n`);
  await ok(fresh, ['build', '--pull', '--network', 'none', '-t', 'sec-built:1', ctx]);

  // Bearer: the same, with tokens from the token service
  const bearerRef = `${bearer!.host}/sec/busybox:1`;
  await fails(pusher, ['login', '-u', BOB.user, '--password-stdin', bearer!.host], /unauthorized/i, { input: WRONG });
  await ok(pusher, ['login', '-u', BOB.user, '--password-stdin', bearer!.host], { input: BOB.password });
  await ok(pusher, ['tag', 'busybox', bearerRef]);
  await ok(pusher, ['push', bearerRef]);
  await ok(puller, ['pull', bearerRef]);
  assert.equal(await ok(puller, ['run', '--rm', '--net', 'none', bearerRef, 'echo', 'token ok']), 'token ok\n');
  await fails(puller, ['pull', `${bearer!.host}/sec/none:1`], /manifest unknown|not found|denied/i, { env: { BERTH_DEBUG: '1' } });
  assert.ok(
    tokens!.requests.some((r) => r.user === BOB.user),
    'berth never asked the token service as the user',
  );

  // stored credentials the registry refuses: the error says so without them
  const saved = readFileSync(cfgFile, 'utf8');
  const doc = JSON.parse(saved) as { auths: Record<string, { auth: string }> };
  doc.auths[basic!.host] = { auth: Buffer.from(`${ALICE.user}:${STALE}`).toString('base64') };
  writeFileSync(cfgFile, JSON.stringify(doc), { mode: 0o600 });
  await fails(fresh, ['pull', `${basic!.host}/sec/busybox:1`], /unauthorized/i);
  await fails(fresh, ['pull', `${basic!.host}/sec/busybox:1`], /unauthorized/i, { env: { BERTH_DEBUG: '1' } });
  writeFileSync(cfgFile, saved, { mode: 0o600 });

  // a credential helper: the secret goes to it on stdin, never on its command line
  const helperEnv = { PATH: `${helperBin}:${process.env.PATH}` };
  const withHelper = JSON.parse(saved) as Record<string, unknown> & { auths: Record<string, unknown> };
  delete withHelper.auths[basic!.host];
  writeFileSync(cfgFile, JSON.stringify({ ...withHelper, credHelpers: { [basic!.host]: 'berthsec' } }), { mode: 0o600 });
  await ok(pusher, ['login', '-u', ALICE.user, '--password-stdin', basic!.host], { input: ALICE.password, env: helperEnv });
  assert.deepEqual(
    needles.in(readFileSync(cfgFile)).filter((n) => n.startsWith('the Basic')),
    [],
    'the secret went to the file, not the helper',
  );
  await ok(fresh, ['pull', `${basic!.host}/sec/busybox:1`], { env: helperEnv });
  await ok(pusher, ['logout', basic!.host], { env: helperEnv });

  // the token service gone: a network error, with the realm but not the credentials
  await tokens!.stop();
  await fails(puller, ['pull', `${bearer!.host}/sec/busybox:2`], /connection refused/i);
  await fails(puller, ['pull', `${bearer!.host}/sec/busybox:2`], /connection refused/i, { env: { BERTH_DEBUG: '1' } });
  await ok(pusher, ['logout', bearer!.host]);

  // everything berth printed
  const printed = transcript.flatMap((r) => needles.in(`${r.stdout}\n${r.stderr}`).map((n) => `berth ${r.args.join(' ')}: ${n}`));
  assert.deepEqual(printed, [], 'secrets in what berth printed');
  // berth printed no Authorization header value of any kind either
  for (const r of transcript) assert.doesNotMatch(`${r.stdout}\n${r.stderr}`, /\b(Basic|Bearer) [A-Za-z0-9+/=._-]{12,}/, `berth ${r.args.join(' ')}`);
  // processes: command lines, and the environment of berth and its helpers, sampled throughout
  assert.deepEqual([...processHits], [], 'secrets in the process list');
  // every file of every state root and runroot: the database, its WAL, logs, layers, …
  const files = sandboxes.flatMap((s) => [...filesBelow(s.root), ...filesBelow(s.runRoot)]);
  assert.ok(
    files.some((f) => f.endsWith('berth.db')),
    'the scan did not see a database',
  );
  assert.deepEqual(scanFiles(needles, files), [], 'secrets in berth state');
  // the config dir: only config.json (and the helper's own store, outside it) may hold them
  assert.deepEqual(
    scanFiles(
      needles,
      filesBelow(dockerConfig, (p) => p === cfgFile),
    ),
    [],
    'secrets in the docker config dir',
  );
  assert.equal(statSync(cfgFile).mode & 0o777, 0o600);
});

test('credentials go only to the registry itself, not to a redirect target whose address starts the same', async () => {
  // blob downloads answered with 307 to http://localhost:<front port + one digit>/…
  const front = new RedirectFront(basic!.port, basic!.storage, basic!.dir);
  await front.start();
  try {
    const pusher = sandbox('berth-sec-redir-push');
    await ok(pusher, ['import', busyboxTarball(), 'busybox']);
    await ok(pusher, ['login', '-u', ALICE.user, '--password-stdin', front.host], { input: ALICE.password });
    const ref = `${front.host}/sec/redirected:1`;
    await ok(pusher, ['tag', 'busybox', ref]);
    await ok(pusher, ['push', ref]);
    const puller = sandbox('berth-sec-redir-pull');
    await ok(puller, ['pull', ref]);
    assert.equal(await ok(puller, ['run', '--rm', '--net', 'none', ref, 'echo', 'from the store']), 'from the store\n');
    const served = front.requests();
    assert.ok(served.length >= 2, `the blobs did not come from the redirect target: ${JSON.stringify(served)}`);
    assert.deepEqual(
      served.filter((r) => r.authorization).map((r) => r.url),
      [],
      'credentials sent to another server',
    );
    await ok(pusher, ['logout', front.host]);
  } finally {
    await front.stop();
  }
});
