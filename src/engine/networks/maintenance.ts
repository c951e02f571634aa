/**
 * The embedded networks' state root upkeep: the built-in networks, removing a network's row and
 * host side crash-safely (a write-ahead note, removals.ts), finishing removals a killed berth
 * left half-done, and network namespaces of containers that no longer exist.
 */
import { randomBytes } from 'node:crypto';
import { recordEvent } from '../events/journal.js';
import type { StateDb } from '../state/db.js';
import type { EnginePaths } from '../paths.js';
import type { NetPaths } from '../../net/index.js';
import { netPaths } from '../../net/paths.js';
import type { ContainerRecords } from '../containers/records.js';
import type { SweepGuard } from '../containers/sweep-guard.js';
import { NetworkRecords, recordOf, type NetworkRow } from './records.js';
import { clearRemoval, finishRemovals, noteRemoval } from './removals.js';
import { net, wrapNet } from './net-lib.js';

export const BUILTIN = ['bridge', 'host', 'none'];

export class NetworkMaintenance {
  readonly rows: NetworkRecords;
  readonly net: NetPaths;

  constructor(
    protected readonly db: StateDb,
    protected readonly paths: EnginePaths,
    protected readonly containers: () => ContainerRecords,
  ) {
    this.rows = new NetworkRecords(db);
    this.net = netPaths(paths.runRoot);
  }

  /** bridge, host and none exist in every state root (made on first use). */
  async ensureBuiltins(): Promise<void> {
    // Every network command and every create passes here: the next one after a killed
    // `network rm` finishes it. A failure must not stop the command; the note stays for later.
    await this.finishRemovals().catch(() => 0);
    const { hostRoutes, planNetwork, OPT_BRIDGE_NAME } = await net();
    if (this.rows.byName('bridge') && this.rows.byName('host') && this.rows.byName('none')) return;
    const routes = await hostRoutes();
    this.db.tx(() => {
      const now = new Date().toISOString();
      if (!this.rows.byName('bridge')) {
        const existing = this.rows
          .all()
          .filter((r) => r.record)
          .map(recordOf);
        // BERTH_BRIDGE_NAME lets several state roots (tests) live side by side without sharing berth0.
        const options: Record<string, string> = process.env.BERTH_BRIDGE_NAME ? { [OPT_BRIDGE_NAME]: process.env.BERTH_BRIDGE_NAME } : {};
        const rec = planNetwork({ name: 'bridge', driver: 'bridge', options }, { existing, hostRoutes: routes, isDefault: true });
        this.db.run('INSERT INTO networks (id, name, driver, record, created) VALUES (?, ?, ?, ?, ?)', rec.id, 'bridge', 'bridge', JSON.stringify(rec), now);
      }
      for (const [name, driver] of [
        ['host', 'host'],
        ['none', 'null'],
      ] as const) {
        if (!this.rows.byName(name))
          this.db.run('INSERT INTO networks (id, name, driver, record, created) VALUES (?, ?, ?, NULL, ?)', randomBytes(32).toString('hex'), name, driver, now);
      }
    });
  }

  /** Removes a network's host side (bridge, leases, rules) and its row, whoever uses it. */
  async removeHost(id: string): Promise<void> {
    const row = this.rows.find(id);
    await this.dropRow(row, () => this.db.run('DELETE FROM endpoints WHERE network_id = ?', row.id));
  }

  /**
   * Deletes the row (after `before`, in the same transaction), then the host side, with a
   * write-ahead note around both (removals.ts) so a kill between them leaves nothing unowned.
   */
  protected async dropRow(row: NetworkRow, before: () => void): Promise<void> {
    const rec = row.record ? recordOf(row) : undefined;
    const note = rec ? noteRemoval(this.paths.runRoot, rec) : undefined;
    try {
      this.db.tx(() => {
        before();
        this.db.run('DELETE FROM networks WHERE id = ?', row.id);
        recordEvent(this.db, { type: 'network', action: 'destroy', id: row.id, attributes: { name: row.name, type: row.driver } });
      });
    } catch (e) {
      if (note) clearRemoval(note);
      throw e;
    }
    if (!rec || !note) return;
    // On failure the note stays: the next command tries the host side again.
    const { removeNetworkHost } = await net();
    await wrapNet(() => removeNetworkHost(this.net, rec));
    clearRemoval(note);
  }

  /** Host sides of networks whose removal a killed berth left half-done (removals.ts). */
  async finishRemovals(): Promise<number> {
    return finishRemovals(this.paths.runRoot, {
      rowExists: (id) => this.db.get('SELECT 1 AS x FROM networks WHERE id = ?', id) !== undefined,
      deviceInUse: (dev) => this.rows.all().some((r) => r.record && r.driver === 'bridge' && recordOf(r).device === dev),
      removeHost: async (rec, opts) => {
        const { removeNetworkHost } = await net();
        return wrapNet(() => removeNetworkHost(this.net, rec, opts));
      },
    });
  }

  /** Network namespaces of containers that no longer run (crash debris); none that is starting. */
  async removeLeftovers(liveIds: string[], guard: SweepGuard): Promise<number> {
    const { leftoverNetns, removeOrphanNetns } = await net();
    const keys = await wrapNet(() => leftoverNetns(this.net, liveIds));
    let removed = 0;
    for (const k of keys) if (await guard.ifIdle(guard.known(k) ?? k, () => wrapNet(() => removeOrphanNetns(this.net, k)))) removed++;
    return removed;
  }
}
