/**
 * The lifecycle operations `sync` needs to repair a row: record an exit and release it, adopt a
 * start that never reported back, undo one, finish a removal. sync.ts reaches them through
 * here instead of importing lifecycle.ts, which imports sync.ts (that was an import cycle). The
 * engine provides the loader once (embedded.ts); lifecycle.ts stays unloaded for listings.
 */
import type { ContainerContext } from './context.js';
import type { Container } from './records.js';

export interface Repairs {
  cleanup(ctx: ContainerContext, id: string): Promise<boolean>;
  markRunning(ctx: ContainerContext, c: Container, pids: { pid: number; conmonPid: number }): Promise<void>;
  releaseRuntime(ctx: ContainerContext, c: Container): Promise<void>;
  removeRecord(ctx: ContainerContext, c: Container | undefined, removeAnonVolumes: boolean): Promise<boolean>;
}

let loader: (() => Promise<Repairs>) | undefined;

/** Called by the engine with `() => import('./lifecycle.js')`. */
export function provideRepairs(load: () => Promise<Repairs>): void {
  loader = load;
}

export function repairs(): Promise<Repairs> {
  if (!loader) return Promise.reject(new Error('container repairs used before the engine provided them (provideRepairs)'));
  return loader();
}
