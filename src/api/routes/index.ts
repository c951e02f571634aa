/** Every route module of the API server; server.ts serves their routes (one line per family). */
import type { Route } from '../route.js';
import { routes as archive } from './archive.js';
import { routes as build } from './build.js';
import { routes as containers } from './containers.js';
import { routes as exec } from './exec.js';
import { routes as images } from './images.js';
import { routes as networks } from './networks.js';
import { routes as system } from './system.js';
import { routes as volumes } from './volumes.js';

export const allRoutes: Route[] = [...system, ...containers, ...archive, ...exec, ...images, ...build, ...networks, ...volumes];
