import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRuntimeError, lastRuntimeError } from '../../src/engine/runtime/runtime-error.js';
import { parseSyncReply } from '../../src/engine/runtime/conmon.js';
import { parseState } from '../../src/engine/runtime/index.js';

test("runc failures map to docker's kinds; a mount's \"no such file\" is not the command's", () => {
  const cases: [string, string][] = [
    ['runc create failed: unable to start container process: exec: "nosuch": executable file not found in $PATH', 'cmd-not-found'],
    ['exec failed: unable to start container process: exec: "/x": stat /x: no such file or directory', 'cmd-not-found'],
    ['exec failed: unable to start container process: error mounting "/x" to rootfs at "/y": no such file or directory', 'runtime'],
    ['runc create failed: unable to start container process: exec: "/etc": permission denied', 'cmd-not-executable'],
    ['exec /bin/x: exec format error', 'cmd-not-executable'],
    ['container does not exist', 'not-found'],
    ['container not running', 'conflict'],
    ['error setting rlimits for ready process: error setting rlimit type 7: operation not permitted', 'runtime'],
  ];
  for (const [msg, kind] of cases) assert.equal(classifyRuntimeError(msg, 'id', 'create').kind, kind, msg);
  assert.equal(classifyRuntimeError(cases[0]![0], 'id', 'create').message, 'exec: "nosuch": executable file not found in $PATH');
});

test('runc JSON logs and conmon sync replies parse; bad documents are rejected', () => {
  const log = '{"level":"warning","msg":"w","time":"t"}\n{"level":"error","msg":"first","time":"t"}\n{"level":"error","msg":"last","time":"t"}\n';
  assert.equal(lastRuntimeError(log), 'last');
  assert.equal(lastRuntimeError('plain text failure\n'), 'plain text failure');
  assert.equal(parseSyncReply('{"data": 1234}'), 1234);
  assert.equal(parseSyncReply('{"data": -1, "message": "boom"}'), -1);
  assert.equal(parseSyncReply(''), undefined);
  assert.equal(parseSyncReply('{"data": "x"}'), undefined);
  const good = { ociVersion: '1.0.2', id: 'a', pid: 5, status: 'running', bundle: '/b', rootfs: '/r', created: 'now', owner: '' };
  assert.equal(parseState(JSON.stringify(good)).pid, 5);
  assert.throws(() => parseState(JSON.stringify({ ...good, status: 'weird' })));
  assert.throws(() => parseState('{'));
});
