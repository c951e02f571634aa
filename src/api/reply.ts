/** Writing docker's answers: JSON documents, and JSON lines for streams (events, stats, pull). */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts a JSON-lines stream: headers go out at once, so the client sees the answer begin. */
export function startJsonStream(res: ServerResponse): (doc: unknown) => boolean {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
  return (doc) => (res.writableEnded || res.destroyed ? false : res.write(`${JSON.stringify(doc)}\n`));
}
