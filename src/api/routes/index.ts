/** Every route module of the API server; server.ts serves their routes (one line per family). */
import type { Route } from '../route.js';
import { routes as system } from './system.js';
import { routes as containers } from './containers.js';
import { routes as archive } from './archive.js';
import { routes as exec } from './exec.js';

export const allRoutes: Route[] = [
  ...system,
  ...containers,
  ...archive,
  ...exec,
];
