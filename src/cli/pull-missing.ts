/** docker's `run`/`create --pull missing|always|never`: pull the image first when asked or absent. */
import type { Engine } from '../engine/api.js';
import { isEngineError } from '../engine/index.js';
import { canonical, familiar, parseReference } from '../engine/index.js';
import { progressPrinter } from './progress/progress.js';

export async function pullIfNeeded(engine: Engine, image: string, policy: 'missing' | 'always' | 'never' | undefined, platform?: string): Promise<void> {
  if (policy === 'never') return;
  if (policy !== 'always') {
    try {
      await engine.images.inspect(image);
      return;
    } catch (e) {
      if (!isEngineError(e, 'not-found')) throw e;
    }
    let name = image;
    try {
      name = familiar(canonical(parseReference(image)));
    } catch {
      return; // not a reference (an id prefix): let create say "No such image"
    }
    process.stderr.write(`Unable to find image '${name}' locally\n`);
  }
  const p = progressPrinter(process.stderr);
  try {
    await engine.images.pull(image, { progress: p.fn, ...(platform ? { platform } : {}) });
  } finally {
    p.done();
  }
}
