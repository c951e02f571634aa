/** Container rows in the state database, and finding a container as docker does (name, id, prefix). */
import type { ContainerState } from '../api.js';
import type { StateDb } from '../state/db.js';
import { invalid, notFound } from '../errors.js';
import { parseContainerSpec, type ContainerSpec } from './spec-types.js';

export interface ContainerRow {
  id: string;
  name: string;
  image_id: string;
  image_name: string;
  spec: string;
  created: string;
  state: ContainerState;
  pid: number;
  conmon_pid: number;
  exit_code: number;
  started_at: string;
  finished_at: string;
  error: string;
  restart_count: number;
  mounted: number;
}

export interface Container extends Omit<ContainerRow, 'spec'> {
  spec: ContainerSpec;
}

export function toContainer(r: ContainerRow): Container {
  return { ...r, spec: parseContainerSpec(r.spec) };
}

export class ContainerRecords {
  constructor(readonly db: StateDb) {}

  all(): Container[] {
    return this.db.all<ContainerRow>('SELECT * FROM containers ORDER BY created DESC').map(toContainer);
  }

  byId(id: string): Container | undefined {
    const r = this.db.get<ContainerRow>('SELECT * FROM containers WHERE id = ?', id);
    return r && toContainer(r);
  }

  /** docker's lookup order: full id, exact name, unique id prefix. */
  find(idOrName: string): Container {
    const key = idOrName.replace(/^\//, '');
    if (key === '') throw invalid('container name or id is empty');
    const exact = this.db.get<ContainerRow>('SELECT * FROM containers WHERE id = ? OR name = ?', key, key);
    if (exact) return toContainer(exact);
    if (/^[a-f0-9]+$/.test(key)) {
      const rows = this.db.all<ContainerRow>('SELECT * FROM containers WHERE id >= ? AND id < ? LIMIT 2', key, `${key}g`);
      if (rows.length > 1) throw invalid(`multiple containers found with provided prefix: ${key}`);
      if (rows[0]) return toContainer(rows[0]);
    }
    throw notFound(`No such container: ${idOrName}`);
  }

  nameTaken(name: string): string | undefined {
    return this.db.get<{ id: string }>('SELECT id FROM containers WHERE name = ?', name)?.id;
  }

  insert(c: Container): void {
    this.db.run(
      `INSERT INTO containers (id, name, image_id, image_name, spec, created, state) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      c.id,
      c.name,
      c.image_id,
      c.image_name,
      JSON.stringify(c.spec),
      c.created,
      c.state,
    );
  }

  update(id: string, fields: Partial<Omit<ContainerRow, 'id' | 'spec'>>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db.run(
      `UPDATE containers SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`,
      ...keys.map((k) => (fields as Record<string, string | number>)[k]!),
      id,
    );
  }

  /** Replaces the stored spec (update: new limits and restart policy for the next start). */
  setSpec(id: string, spec: ContainerSpec): void {
    this.db.run('UPDATE containers SET spec = ? WHERE id = ?', JSON.stringify(spec), id);
  }

  delete(id: string): void {
    this.db.run('DELETE FROM containers WHERE id = ?', id);
  }
}
