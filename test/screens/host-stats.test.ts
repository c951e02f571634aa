/** The header's host figures: CPU % between two readings, memory from /proc/meminfo. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { hostCpuPercent, parseProcStat, systemHostStats } from '../../src/screens/host-stats.js';

test('host CPU % is the busy share of the time between two readings, clamped to 0–100', () => {
  assert.equal(hostCpuPercent({ busy: 100, total: 1000 }, { busy: 400, total: 1600 }), 50);
  assert.equal(hostCpuPercent(undefined, { busy: 250, total: 1000 }), 25); // since boot
  assert.equal(hostCpuPercent({ busy: 5, total: 10 }, { busy: 5, total: 10 }), 0); // no time passed
  assert.equal(hostCpuPercent({ busy: 0, total: 0 }, { busy: 30, total: 20 }), 100);
});

test('/proc/stat: busy is everything but idle and iowait; guest time is already in user', () => {
  assert.deepEqual(parseProcStat('cpu  100 5 50 800 20 3 2 10 40 0\ncpu0 1 2 3 4 5 6 7 8 9 0\n'), { busy: 170, total: 990 });
  assert.deepEqual(parseProcStat('cpu  garbage\n'), { busy: 0, total: 0 });
});

test('the real host: CPU within 0–100 on each call, memory total as the kernel says, used below it', async () => {
  for (let i = 0; i < 3; i++) {
    const s = await systemHostStats();
    assert.ok(s.cpuPercent >= 0 && s.cpuPercent <= 100, String(s.cpuPercent));
    assert.equal(s.memTotal, totalmem());
    assert.ok(s.memUsed > 0 && s.memUsed < s.memTotal);
    await new Promise((r) => setTimeout(r, 50));
  }
});
