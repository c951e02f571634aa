/**
 * Hijacked connections (attach, exec start). docker's clients send `Connection: Upgrade` and
 * `Upgrade: tcp`; node hands such requests to the server's 'upgrade' event with the raw socket,
 * and the request body (exec start's JSON) still unread on it. We read that body, answer
 * `101 UPGRADED` when the route hijacks, and give the route the socket: raw bytes both ways,
 * the client's half-close (CloseWrite) arriving as the socket's 'end' (http sockets allow half-open).
 * A client that does not ask to upgrade gets `200 OK` with the raw-stream type on the same
 * connection, reading the request body as stdin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

export const RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

/** Reads `length` bytes of body from what the parser left (`head`) and then the socket. */
export function readUpgradeBody(socket: Socket, head: Buffer, length: number): Promise<Buffer> {
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [head];
    let have = head.length;
    const onData = (c: Buffer) => {
      chunks.push(c);
      have += c.length;
      if (have < length) return;
      cleanup();
      socket.pause();
      const all = Buffer.concat(chunks);
      if (all.length > length) socket.unshift(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('connection closed before the request body was read'));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
  });
}

/** The 101 answer on an upgraded socket; returns the socket as the stream. */
export function hijackUpgraded(res: ServerResponse, socket: Socket, contentType: string): Duplex {
  res.detachSocket(socket);
  socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n${versionHeaderLines(res)}\r\n`);
  socket.setNoDelay?.(true);
  socket.setTimeout?.(0);
  return socket;
}

/** docker's headers that the server set on `res` before it was bypassed. */
function versionHeaderLines(res: ServerResponse): string {
  return ['Api-Version', 'Docker-Experimental', 'Ostype', 'Server']
    .map((h) => [h, res.getHeader(h)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([h, v]) => `${h}: ${String(v)}\r\n`)
    .join('');
}

/** A request that did not ask to upgrade: 200 with the stream type; its body is stdin. */
export function hijackPlain(req: IncomingMessage, res: ServerResponse, contentType: string): Duplex {
  res.writeHead(200, { 'Content-Type': contentType });
  res.flushHeaders();
  res.socket?.setNoDelay?.(true);
  return Duplex.from({ readable: req, writable: res });
}
