/**
 * src/net for the embedded networks: loaded on first need, its NetError turned into
 * EngineError (src/net may not import the engine).
 */
import { EngineError } from '../errors.js';
import type * as NetLib from '../../net/index.js';

// src/net (CNI, iptables, netns, ports) loads with the first operation that needs it: listings
// and inspect only read rows, and `ps` loaded its ~20 modules for nothing. Operations await
// net() first; the synchronous helpers they call use loaded().
let netLib: typeof NetLib | undefined;
export const net = async (): Promise<typeof NetLib> => (netLib ??= await import('../../net/index.js'));
export function loaded(): typeof NetLib {
  if (!netLib) throw new Error('src/net used before it was loaded');
  return netLib;
}

/** src/net speaks NetError (it may not import the engine); the engine speaks EngineError. */
export async function wrapNet<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asEngineError(e);
  }
}

function asEngineError(e: unknown): unknown {
  // a NetError comes from src/net, so src/net is loaded when there is one
  return netLib && e instanceof netLib.NetError ? new EngineError(e.kind, e.message, { cause: e }) : e;
}

export function wrapSync<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asEngineError(e);
  }
}
