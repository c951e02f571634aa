/**
 * cgroup v2, live. This host is cgroup v1 hybrid and most users' are pure v2, so the v2 cases
 * run in a Debian 12 VM (qemu, TCG; see test/vm/): the built project is copied into a fresh
 * boot, test/cgroups/live-v2.guest.ts runs there under systemd, and each of its cases is
 * reported here as a case of its own, with the guest's message when it failed. A guest that
 * hangs or crashes fails the run with the guest's journal and console.
 *
 * The first run on a machine builds the VM image (debootstrap from deb.debian.org, a few
 * minutes) into /var/cache/berth-test; later runs boot the cached one.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SRC_ROOT } from '../helpers/berth.js';
import type { GuestCase, GuestEnd, GuestLine } from '../vm/guest-reporter.js';
import { OUT_DIR } from '../vm/job-disk.js';
import { type VmRun, runInVm } from '../vm/run.js';

const RESULTS = 'results.jsonl';
/** Boot (~15–60 s, depending on how busy the host is) and the guest's cases. */
const VM_TIMEOUT_MS = 10 * 60_000;

const program = `export BERTH_SRC_ROOT=/job/berth
exec .runtime/node --disable-warning=ExperimentalWarning \\
  --test-reporter=./dist/test/vm/guest-reporter.js --test-reporter-destination=/job/${OUT_DIR}/${RESULTS} \\
  --test-reporter=spec --test-reporter-destination=stdout \\
  dist/test/cgroups/live-v2.guest.js
`;

const why = process.arch !== 'x64' ? 'the VM image is amd64' : process.getuid?.() !== 0 ? 'needs root (debootstrap, the image cache)' : false;

describe('cgroups: live v2 in a Debian 12 VM', { skip: why }, () => {
  let run: VmRun;
  let cases: GuestCase[] = [];
  let end: GuestEnd | undefined;

  before(async () => {
    const t0 = Date.now();
    run = await runInVm({ projectRoot: SRC_ROOT, program, timeoutMs: VM_TIMEOUT_MS, log: (l) => process.stderr.write(`vm: ${l}\n`) });
    const lines = (run.files.get(RESULTS) ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as GuestLine);
    cases = lines.filter((l): l is GuestCase => l.event === 'case' && !l.suite);
    end = lines.find((l): l is GuestEnd => l.event === 'end');
    const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
    process.stderr.write(
      `vm: image ${s(run.timings.imageMs)}, job disk ${s(run.timings.diskMs)}, boot and cases ${s(run.timings.bootMs)}, in all ${s(Date.now() - t0)}\n`,
    );
  });

  it('the guest ran every case to the end and powered off', () => {
    assert.ok(!run.boot.timedOut && run.status !== null && end, run.failureReport());
    assert.ok(cases.length >= 10, `${cases.length} cases reported\n${run.failureReport()}`);
    // The cases' own failures are reported below, one by one; the journal helps read them.
    if (run.status !== 0) process.stderr.write(`${run.failureReport()}\n`);
    assert.equal(end.fail, cases.filter((c) => c.outcome === 'fail').length);
  });

  it('in the guest', async (t) => {
    assert.ok(cases.length > 0, 'no case reported by the guest');
    for (const c of cases) {
      const name = c.path.slice(1).join(' › ');
      if (c.outcome === 'todo') await t.test(name, { todo: true });
      else if (c.outcome === 'skip') await t.test(name, { skip: true });
      else
        await t.test(name, (tt) => {
          for (const d of c.diagnostics) tt.diagnostic(d);
          tt.diagnostic(`${c.ms} ms in the guest`);
          if (c.outcome === 'fail') assert.fail(`in the VM: ${c.error}`);
        });
    }
  });
});
