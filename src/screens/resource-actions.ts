/** Remove, prune and create on the images, networks and volumes panes. */
import type { Engine, ImageSummary, NetworkSummary, VolumeSummary } from '../engine/api.js';
import type { Command } from '../ui/bindings.js';
import { bytes, shortId } from '../ui/format.js';
import type { Overlay } from './overlay.js';
import { runAction, type ActionDeps } from './run-action.js';
import { splitRef } from './images-view.js';
import type { PaneId } from './panes.js';
import { engineOrSay } from './container-actions.js';
import { cliLine, type CliAction } from './action-command.js';

export interface ResourceActionDeps extends ActionDeps {
  engineFor: (host: string | undefined) => Engine | undefined;
  where: (host: string | undefined) => string;
  openOverlay: (o: Overlay) => void;
}

type Item = (ImageSummary | NetworkSummary | VolumeSummary) & { readonly host?: string };

/** "a=b,c=d" → {a:'b', c:'d'}; blanks ignored. */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    out[eq < 0 ? p : p.slice(0, eq)] = eq < 0 ? '' : p.slice(eq + 1);
  }
  return out;
}

export function isValidCidr(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  return !!m && m.slice(1, 5).every((x) => Number(x) <= 255) && Number(m[5]) <= 32;
}

export function resourceAction(cmd: Command, pane: PaneId, item: Item | undefined, d: ResourceActionDeps): boolean {
  const ask = (message: string, go: () => void) => d.openOverlay({ kind: 'confirm', message, onYes: go });
  if (!['remove', 'prune', 'create'].includes(cmd)) return false;
  // Acts on the selected row's host; with no row, on the host on screen (if one host is).
  const host = item?.host;
  const on = d.where(host);
  const engine = engineOrSay(d, host, cmd);
  if (!engine) return true;
  const cli = (a: CliAction) => cliLine(a, d.hostOf?.(host));
  if (pane === 'images') {
    const img = item as ImageSummary | undefined;
    if (cmd === 'remove' && img) {
      const label = img.repoTags[0] ? splitRef(img.repoTags[0]).join(':') : shortId(img.id);
      ask(
        `Remove image ${label}${on}?`,
        () =>
          void runAction(
            d,
            `Removing ${label}`,
            () => engine.images.remove(img.repoTags[0] ?? img.id),
            (r) => `Removed ${label} (${r.deleted.length} deleted, ${r.untagged.length} untagged)`,
            ['images'],
            host,
            cli({ kind: 'imageRemove', ref: label }),
          ),
      );
      return true;
    }
    if (cmd === 'prune') {
      ask(
        `Remove dangling images${on}?`,
        () =>
          void runAction(
            d,
            'Pruning images',
            () => engine.images.prune(),
            (r) => `Removed ${r.deleted.length} images, reclaimed ${bytes(r.spaceReclaimed)}`,
            ['images'],
            host,
            cli({ kind: 'imagePrune' }),
          ),
      );
      return true;
    }
  }
  if (pane === 'networks') {
    const net = item as NetworkSummary | undefined;
    if (cmd === 'remove' && net) {
      ask(
        `Remove network ${net.name}${on}?`,
        () =>
          void runAction(
            d,
            `Removing ${net.name}`,
            () => engine.networks.remove(net.name),
            () => `Removed network ${net.name}`,
            ['networks'],
            host,
            cli({ kind: 'networkRemove', name: net.name }),
          ),
      );
      return true;
    }
    if (cmd === 'prune') {
      ask(
        `Remove all unused networks${on}?`,
        () =>
          void runAction(
            d,
            'Pruning networks',
            () => engine.networks.prune(),
            (r) => `Removed ${r.length} networks`,
            ['networks'],
            host,
            cli({ kind: 'networkPrune' }),
          ),
      );
      return true;
    }
    if (cmd === 'create') {
      d.openOverlay({
        kind: 'form',
        title: `Create a network${on}`,
        fields: [
          { id: 'name', label: 'name' },
          { id: 'subnet', label: 'subnet (optional)', placeholder: 'e.g. 10.90.0.0/24' },
          { id: 'gateway', label: 'gateway (optional)' },
        ],
        onSubmit: (v) => {
          const name = (v['name'] ?? '').trim();
          const subnet = (v['subnet'] ?? '').trim();
          const gateway = (v['gateway'] ?? '').trim();
          if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) return 'a name is needed: letters, digits, _ . -';
          if (subnet && !isValidCidr(subnet)) return `not a subnet: ${subnet}`;
          if (gateway && !subnet) return 'a gateway needs a subnet';
          const ipam = subnet ? [{ subnet, ...(gateway ? { gateway } : {}) }] : undefined;
          void runAction(
            d,
            `Creating network ${name}`,
            () => engine.networks.create({ name, driver: 'bridge', ...(ipam ? { ipam } : {}) }),
            (n) => `Created network ${n.name} (${n.ipam[0]?.subnet ?? 'no subnet'})`,
            ['networks'],
            host,
            cli({ kind: 'networkCreate', name, ...(subnet ? { subnet } : {}), ...(gateway ? { gateway } : {}) }),
          );
          return undefined;
        },
      });
      return true;
    }
  }
  if (pane === 'volumes') {
    const vol = item as VolumeSummary | undefined;
    if (cmd === 'remove' && vol) {
      ask(
        `Remove volume ${vol.name}${on}? Its data is deleted.`,
        () =>
          void runAction(
            d,
            `Removing ${vol.name}`,
            () => engine.volumes.remove(vol.name),
            () => `Removed volume ${vol.name}`,
            ['volumes'],
            host,
            cli({ kind: 'volumeRemove', name: vol.name }),
          ),
      );
      return true;
    }
    if (cmd === 'prune') {
      ask(
        `Remove all unused volumes${on}? Their data is deleted.`,
        () =>
          void runAction(
            d,
            'Pruning volumes',
            () => engine.volumes.prune(),
            (r) => `Removed ${r.deleted.length} volumes, reclaimed ${bytes(r.spaceReclaimed)}`,
            ['volumes'],
            host,
            cli({ kind: 'volumePrune' }),
          ),
      );
      return true;
    }
    if (cmd === 'create') {
      d.openOverlay({
        kind: 'form',
        title: `Create a volume${on}`,
        fields: [
          { id: 'name', label: 'name (empty = generated)' },
          { id: 'labels', label: 'labels (k=v,...)' },
        ],
        onSubmit: (v) => {
          const name = (v['name'] ?? '').trim();
          if (name && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) return 'names take letters, digits, _ . -';
          const labels = parseLabels(v['labels'] ?? '');
          void runAction(
            d,
            'Creating volume',
            () => engine.volumes.create({ ...(name ? { name } : {}), labels }),
            (r) => `Created volume ${r.name}`,
            ['volumes'],
            host,
            cli({ kind: 'volumeCreate', ...(name ? { name } : {}), labels }),
          );
          return undefined;
        },
      });
      return true;
    }
  }
  return false;
}
