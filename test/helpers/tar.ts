/** Crafting tar archives entry by entry (tar-stream lets a test write names no tool would). */
import { pack } from 'tar-stream';
import type { Header as TarHeaders } from 'tar-stream';

export type TarEntry = Partial<TarHeaders> & { name: string; body?: string | Buffer };

export async function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((res, rej) => {
    p.on('end', res);
    p.on('error', rej);
  });
  for (const { body, ...h } of entries) {
    await new Promise<void>((res, rej) =>
      p.entry({ mode: h.type === 'directory' ? 0o755 : 0o644, mtime: new Date(0), ...h }, body ?? '', (e) => (e ? rej(e) : res())),
    );
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}
