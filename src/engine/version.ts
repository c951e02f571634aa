/** berth's own version and the API version it speaks (docker's, for -H backends and `version`). */
import { readFileSync } from 'node:fs';
import { packageRoot } from './install.js';

let cached: string | undefined;
export function berthVersion(): string {
  if (!cached) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string };
      cached = pkg.version;
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}

export const API_VERSION = '1.43';
