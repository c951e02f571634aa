/**
 * Run by exec.test.ts under `script` (so its stdio is a pty): execs a command in a container
 * with a tty on this process's own terminal and exits with the command's code.
 * argv: runc-root container-id cmd...
 */
import { execInContainer, Runc } from '../../src/engine/runtime/index.js';

const [root, id, ...cmd] = process.argv.slice(2);
const code = await execInContainer({
  id: id!,
  runtime: new Runc({ binary: '/usr/sbin/runc', root: root! }),
  opts: { cmd, tty: true, interactive: true },
  io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
});
process.exit(code);
