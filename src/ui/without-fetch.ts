/**
 * Runs an import with `globalThis.fetch` hidden. Ink's layout engine (yoga, compiled by
 * emscripten) loads its WebAssembly from a base64 data: URL, and when `fetch` exists it goes
 * through it, which loads Node's whole HTTP client (undici) to decode a string it could read
 * directly: ~110 ms of the dashboard's first frame here. Without `fetch` it takes its
 * synchronous path. Restored as soon as the import settles; nothing that runs while the
 * dashboard loads uses fetch (only pull/push/build do).
 */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const desc = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!desc?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', desc);
  }
}
