/**
 * Run by lifecycle.test.ts as a separate process: starts a container under conmon and exits at
 * once, to show conmon and the container outlive the caller and hold none of its stdio.
 * argv[2]: JSON ConmonCreateOptions.
 */
import { conmonStart, type ConmonCreateOptions } from '../../src/engine/runtime/index.js';

const o = JSON.parse(process.argv[2]!) as ConmonCreateOptions;
const c = await conmonStart(o);
process.stdout.write(JSON.stringify(c) + '\n');
