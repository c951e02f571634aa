/** Network and endpoint rows: which networks exist and which containers are on them. */
import type { StateDb } from '../state/db.js';
import type { Attachment, NetworkRecord } from '../../net/index.js';
import type { EndpointExtras } from '../api.js';
import { notFound, invalid } from '../errors.js';

export interface NetworkRow {
  id: string;
  name: string;
  driver: 'bridge' | 'macvlan' | 'host' | 'null';
  record: string | null;
  created: string;
}

export interface EndpointRow {
  container_id: string;
  network_id: string;
  position: number;
  fixed_ip: string;
  aliases: string;
  attachment: string | null;
  settings: string;
}

export interface Endpoint {
  containerId: string;
  networkId: string;
  position: number;
  fixedIp: string;
  aliases: string[];
  attachment: Attachment | null;
  /** What was asked for beyond fixedIp and aliases (inspect echoes it). */
  settings: EndpointExtras;
}

export function toEndpoint(r: EndpointRow): Endpoint {
  return {
    containerId: r.container_id,
    networkId: r.network_id,
    position: r.position,
    fixedIp: r.fixed_ip,
    aliases: JSON.parse(r.aliases) as string[],
    attachment: r.attachment ? (JSON.parse(r.attachment) as Attachment) : null,
    settings: JSON.parse(r.settings || '{}') as EndpointExtras,
  };
}

export function recordOf(row: NetworkRow): NetworkRecord {
  if (!row.record) throw invalid(`network ${row.name} has no configuration (driver ${row.driver})`);
  return JSON.parse(row.record) as NetworkRecord;
}

export class NetworkRecords {
  constructor(readonly db: StateDb) {}

  all(): NetworkRow[] {
    return this.db.all<NetworkRow>('SELECT * FROM networks ORDER BY created, name');
  }

  /** docker's lookup: full id, name, unique id prefix. */
  find(idOrName: string): NetworkRow {
    const exact = this.db.get<NetworkRow>('SELECT * FROM networks WHERE id = ? OR name = ?', idOrName, idOrName);
    if (exact) return exact;
    if (/^[a-f0-9]+$/.test(idOrName)) {
      const rows = this.db.all<NetworkRow>('SELECT * FROM networks WHERE id >= ? AND id < ? LIMIT 2', idOrName, `${idOrName}g`);
      if (rows.length > 1) throw invalid(`network ${idOrName} is ambiguous (${rows.length} matches found on name)`);
      if (rows[0]) return rows[0];
    }
    throw notFound(`network ${idOrName} not found`);
  }

  byName(name: string): NetworkRow | undefined {
    return this.db.get<NetworkRow>('SELECT * FROM networks WHERE name = ?', name);
  }

  endpointsOf(containerId: string): Endpoint[] {
    return this.db.all<EndpointRow>('SELECT * FROM endpoints WHERE container_id = ? ORDER BY position', containerId).map(toEndpoint);
  }

  endpointsOn(networkId: string): Endpoint[] {
    return this.db.all<EndpointRow>('SELECT * FROM endpoints WHERE network_id = ? ORDER BY position', networkId).map(toEndpoint);
  }

  allEndpoints(): Endpoint[] {
    return this.db.all<EndpointRow>('SELECT * FROM endpoints').map(toEndpoint);
  }

  addEndpoint(e: Omit<Endpoint, 'position' | 'attachment' | 'settings'> & { settings?: EndpointExtras }): void {
    const pos = this.db.get<{ p: number | null }>('SELECT max(position) AS p FROM endpoints WHERE container_id = ?', e.containerId)?.p;
    this.db.run(
      'INSERT INTO endpoints (container_id, network_id, position, fixed_ip, aliases, settings) VALUES (?, ?, ?, ?, ?, ?)',
      e.containerId,
      e.networkId,
      (pos ?? -1) + 1,
      e.fixedIp,
      JSON.stringify(e.aliases),
      JSON.stringify(e.settings ?? {}),
    );
  }

  setAttachment(containerId: string, networkId: string, a: Attachment | null): void {
    this.db.run('UPDATE endpoints SET attachment = ? WHERE container_id = ? AND network_id = ?', a ? JSON.stringify(a) : null, containerId, networkId);
  }

  removeEndpoint(containerId: string, networkId: string): void {
    this.db.run('DELETE FROM endpoints WHERE container_id = ? AND network_id = ?', containerId, networkId);
  }
}
