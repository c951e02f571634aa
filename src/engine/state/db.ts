/**
 * The state database: one SQLite file (node:sqlite) in WAL mode, shared by every berth process
 * (CLI calls while the dashboard runs, conmon's cleanup commands). Writers take the lock up front
 * (BEGIN IMMEDIATE) so a reader never has to upgrade, and a busy timeout makes concurrent writers
 * wait instead of failing with "database is locked".
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { mkdirSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.js';

export type Row = Record<string, SQLInputValue>;

export class StateDb {
  readonly raw: DatabaseSync;
  private depth = 0;
  // Compiled statements by their SQL: compiling was most of the engine's own time in `ps`/`stats`
  // over 50 containers. Bounded, since some SQL is built per call (column lists, IN lists).
  private readonly statements = new Map<string, StatementSync>();

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.raw = new DatabaseSync(file, { timeout: 30_000 });
    // Root's alone (it names images, volumes and containers' env); SQLite gives the -wal and
    // -shm files it creates next the same mode, so this comes before WAL is switched on.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        chmodSync(f, 0o600);
      } catch (e) {
        // absent, or removed right now by another process's last close (its checkpoint)
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    this.raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    this.migrate();
  }

  private migrate(): void {
    const current = (this.raw.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    if (current >= migrations.length) return;
    this.tx(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const v = (this.raw.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      for (let i = v; i < migrations.length; i++) {
        this.raw.exec(migrations[i]!);
        this.raw.exec(`PRAGMA user_version = ${i + 1}`);
      }
    });
  }

  /** Runs `fn` in a write transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return fn();
      } finally {
        this.depth--;
      }
    }
    this.raw.exec('BEGIN IMMEDIATE');
    this.depth = 1;
    try {
      const out = fn();
      this.raw.exec('COMMIT');
      return out;
    } catch (e) {
      this.raw.exec('ROLLBACK');
      throw e;
    } finally {
      this.depth = 0;
    }
  }

  private statement(sql: string): StatementSync {
    let st = this.statements.get(sql);
    if (!st) {
      if (this.statements.size >= 256) this.statements.clear();
      st = this.raw.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: SQLInputValue[]): { changes: number } {
    const r = this.statement(sql).run(...params);
    return { changes: Number(r.changes) };
  }

  /** Changes whenever another connection commits: a cheap "did anything change?" probe. */
  dataVersion(): number {
    return (this.statement('PRAGMA data_version').get() as { data_version: number }).data_version;
  }

  close(): void {
    this.statements.clear();
    this.raw.close();
  }
}
