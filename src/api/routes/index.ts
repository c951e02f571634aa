/** Every route module of the API server; server.ts serves their routes (one line per family). */
import type { Route } from '../route.js';
import { routes as system } from './system.js';

export const allRoutes: Route[] = [
  ...system,
];
