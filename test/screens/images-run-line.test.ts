/**
 * The run form's `berth run` line: built from the form, and parsed back by berth's own
 * `run` flags (commander + toCreateOptions) to the very create options the dashboard sends.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { addCreateFlags, toCreateOptions, type CreateFlags } from '../../src/cli/flags/create-flags.js';
import { buildRun, shellQuote, type RunFormValues } from '../../src/screens/run-form-line.js';

const blank: RunFormValues = {
  image: 'docker.io/library/nginx:1.27',
  name: '',
  ports: '',
  volumes: '',
  env: '',
  network: '',
  restart: '',
  memory: '',
  cpus: '',
  command: '',
};

/** What `berth run` makes of argv (after "run"), as the CLI does: its flags, then toCreateOptions. */
function cliParse(argv: readonly string[]) {
  let out: ReturnType<typeof toCreateOptions> | undefined;
  const cmd = addCreateFlags(new Command('run'))
    .option('-d, --detach', '')
    .argument('<image>')
    .argument('[command...]')
    .passThroughOptions()
    .exitOverride()
    .action((image: string, command: string[], f: CreateFlags) => {
      out = toCreateOptions(image, command, f);
    });
  cmd.parse([...argv], { from: 'user' });
  return out!;
}

describe('run form line', () => {
  const cases: Array<Partial<RunFormValues>> = [
    {},
    {
      name: 'web1',
      ports: '8080:80, 127.0.0.1:8443:443/tcp, 53/udp',
      volumes: 'data:/data, /srv/conf:/etc/nginx/conf.d:ro',
      env: 'A=1, B=two words',
      network: 'backend',
      restart: 'on-failure:3',
      memory: '256m',
      cpus: '0.5',
      command: 'nginx -g daemon off;',
    },
    { restart: 'unless-stopped', memory: '1g', cpus: '2' },
    { env: 'ONLY_NAME', volumes: 'cache:/var/cache:rw' },
  ];
  for (const c of cases) {
    test(`the line parses back to the same options: ${JSON.stringify(c)}`, () => {
      const r = buildRun({ ...blank, ...c });
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.argv[0], 'run');
      assert.deepEqual(cliParse(r.argv.slice(1)), r.options);
      assert.match(r.line, /^berth run -d /);
    });
  }

  test('the line quotes what a shell would split', () => {
    const r = buildRun({ ...blank, env: 'B=two words', command: "echo it's" });
    assert.equal(r.line, "berth run -d -e 'B=two words' docker.io/library/nginx:1.27 echo 'it'\\''s'");
    assert.equal(shellQuote('a b'), "'a b'");
  });

  test('bad values are refused with the reason, and the line is still shown', () => {
    for (const [c, msg] of [
      [{ ports: '80:99999' }, /invalid containerPort|invalid hostPort/],
      [{ volumes: 'data' }, /invalid volume/],
      [{ volumes: 'data:rel' }, /must be absolute/],
      [{ restart: 'sometimes' }, /invalid restart policy/],
      [{ memory: 'lots' }, /invalid size/],
      [{ cpus: '-1' }, /invalid cpus/],
      [{ name: '-bad' }, /invalid container name/],
    ] as const) {
      const r = buildRun({ ...blank, ...c });
      assert.equal(r.ok, false, JSON.stringify(c));
      assert.match((r as { error: string }).error, msg);
      assert.match(r.line, /^berth run -d/);
    }
  });
});
