/**
 * The other server processes of this engine that hold attach streams of a container.
 * `berth system dial-stdio` serves one connection per process, and docker's `run` attaches on
 * one connection, starts on a second and resizes on a third: the start must reach the process
 * that holds the attach (which starts the container itself, its streams attached from the first
 * byte), and a resize the process that holds the terminal. As exec instances (sessions.ts), this
 * needs no daemon: each process holding attaches listens on `<dir>/p<PID>.sock` (a unix stream
 * socket; one JSON line asked, one answered) and marks each container it holds with a file
 * `<dir>/<containerId>.<PID>`. Another process finds the marks and asks. The socket never keeps
 * its process alive (unref'd); marks and socket go when the process exits, and a mark whose
 * process is gone (connection refused) is removed by whoever finds it.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type PeerRequest = { op: 'start' } | { op: 'attach' } | { op: 'resize'; columns: number; rows: number };
/** `took`: the process had an attach for the request (a start it made, an attach it began). */
export type PeerAnswer = { ok: true; took: boolean } | { ok: false; status: number; message: string };
export type PeerHandler = (containerId: string, r: PeerRequest) => Promise<PeerAnswer>;

/** sun_path holds 108 bytes: a longer runroot gets no sharing (and no error). */
const MAX_SOCKET_PATH = 107;
const ASK_TIMEOUT_MS = 120_000;

export class AttachPeers {
  private server?: Server;
  private listening?: Promise<boolean>;
  private readonly held = new Map<string, number>();
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();
  private readonly socketPath: string;
  private readonly onExit = () => this.removeAll();

  constructor(
    private readonly dir: string,
    private readonly handle: PeerHandler,
  ) {
    this.socketPath = join(dir, `p${process.pid}.sock`);
  }

  /** Marks `containerId` as held here (until the returned release) and makes sure this process answers. */
  async hold(containerId: string): Promise<() => void> {
    if (!(await this.listen())) return () => undefined;
    const n = this.held.get(containerId) ?? 0;
    this.held.set(containerId, n + 1);
    if (n === 0) writeFileSync(this.mark(containerId), '', { mode: 0o600 });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(containerId) ?? 1) - 1;
      if (left > 0) return void this.held.set(containerId, left);
      this.held.delete(containerId);
      rmSync(this.mark(containerId), { force: true });
    };
  }

  /**
   * Asks every other process holding `containerId`, one after the other; with `untilTaken`, stops
   * at the first that took it. A failure answer is thrown (an ApiError-like status + message).
   */
  async ask(containerId: string, r: PeerRequest, untilTaken = false): Promise<boolean> {
    let took = false;
    for (const pid of this.holders(containerId)) {
      const a = await this.askOne(pid, containerId, r);
      if (!a) continue;
      if (!a.ok) throw Object.assign(new Error(a.message), { status: a.status });
      if (a.took) {
        took = true;
        if (untilTaken) break;
      }
    }
    return took;
  }

  /**
   * Resolves when the requests about `containerId` that this process is answering are answered:
   * an attach whose stream ended waits for them before its connection ends, since a dial-stdio
   * process closes its engine when its one connection is done.
   */
  async answered(containerId: string): Promise<void> {
    const set = this.inflight.get(containerId);
    if (set) await Promise.allSettled([...set]);
  }

  /** Stops answering (a server closing); marks and socket are removed. */
  close(): void {
    this.removeAll();
    this.server?.close();
    process.off('exit', this.onExit);
  }

  private mark(containerId: string): string {
    return join(this.dir, `${containerId}.${process.pid}`);
  }

  /** The pids of the other processes that marked `containerId`, oldest mark first is not needed: any order. */
  private holders(containerId: string): number[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const prefix = `${containerId}.`;
    return names
      .filter((n) => n.startsWith(prefix))
      .map((n) => Number(n.slice(prefix.length)))
      .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
  }

  /** One request to one process; undefined when that process is gone (its marks are removed). */
  private askOne(pid: number, containerId: string, r: PeerRequest): Promise<PeerAnswer | undefined> {
    return new Promise((resolve) => {
      const sock = connect(join(this.dir, `p${pid}.sock`));
      let buf = '';
      let done = false;
      const finish = (a: PeerAnswer | undefined) => {
        if (done) return;
        done = true;
        sock.destroy();
        resolve(a);
      };
      sock.setTimeout(ASK_TIMEOUT_MS, () => finish({ ok: false, status: 500, message: `no answer from the server process ${pid} holding the attach` }));
      sock.on('connect', () => sock.write(`${JSON.stringify({ id: containerId, ...r })}\n`));
      sock.on('data', (c: Buffer) => {
        buf += c.toString();
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        try {
          finish(JSON.parse(buf.slice(0, nl)) as PeerAnswer);
        } catch {
          finish(undefined);
        }
      });
      sock.on('error', (e: NodeJS.ErrnoException) => {
        // ECONNREFUSED/ENOENT: the process died without removing its marks
        if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') {
          rmSync(join(this.dir, `${containerId}.${pid}`), { force: true });
          if (e.code === 'ECONNREFUSED') rmSync(join(this.dir, `p${pid}.sock`), { force: true });
        }
        finish(undefined);
      });
      sock.on('close', () => finish(undefined));
    });
  }

  private listen(): Promise<boolean> {
    if (this.listening) return this.listening;
    this.listening = (async () => {
      if (Buffer.byteLength(this.socketPath) > MAX_SOCKET_PATH) return false;
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      rmSync(this.socketPath, { force: true }); // a dead process of the same pid left it
      const server = createServer((s) => this.serve(s));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.unref();
      this.server = server;
      process.once('exit', this.onExit);
      return true;
    })().catch(() => false);
    return this.listening;
  }

  private serve(s: Socket): void {
    let buf = '';
    s.on('error', () => undefined);
    s.on('data', (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      s.pause();
      let req: { id?: unknown } & Partial<PeerRequest>;
      try {
        req = JSON.parse(buf.slice(0, nl)) as typeof req;
      } catch {
        return void s.destroy();
      }
      if (typeof req.id !== 'string') return void s.destroy();
      const r = peerRequestOf(req);
      if (!r) return void s.destroy();
      const id = req.id;
      const answered = this.handle(id, r).then(
        (a) => void s.end(`${JSON.stringify(a)}\n`),
        (e: unknown) => void s.end(`${JSON.stringify({ ok: false, status: 500, message: e instanceof Error ? e.message : String(e) })}\n`),
      );
      const set = this.inflight.get(id) ?? new Set();
      this.inflight.set(id, set.add(answered));
      void answered.finally(() => {
        set.delete(answered);
        if (set.size === 0 && this.inflight.get(id) === set) this.inflight.delete(id);
      });
    });
  }

  private removeAll(): void {
    for (const id of this.held.keys()) rmSync(this.mark(id), { force: true });
    this.held.clear();
    if (this.server) rmSync(this.socketPath, { force: true });
  }
}

/** The request a peer sent, validated once here. */
function peerRequestOf(v: Partial<PeerRequest>): PeerRequest | undefined {
  if (v.op === 'start' || v.op === 'attach') return { op: v.op };
  if (v.op === 'resize') {
    const { columns, rows } = v as { columns?: unknown; rows?: unknown };
    if (typeof columns === 'number' && typeof rows === 'number') return { op: 'resize', columns, rows };
  }
  return undefined;
}
