/**
 * node:http, node:net and node:tls, loaded when first used and through require.
 *
 * Why: an ESM `import … from 'node:http'` builds a module facade that evaluates every export,
 * including the lazy WebSocket/EventSource getters, which load undici: ~55 ms of CPU on every
 * CLI start here (measured: import 70 ms vs require 14 ms for http+https). Modules on the
 * start-up path of every command use these instead; `import type` stays free. node:net and
 * node:tls go the same way so that the Docker transport (only -H uses it) costs nothing until a
 * connection is made.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const http = (): typeof import('node:http') => require('node:http') as typeof import('node:http');
export const net = (): typeof import('node:net') => require('node:net') as typeof import('node:net');
export const tls = (): typeof import('node:tls') => require('node:tls') as typeof import('node:tls');
