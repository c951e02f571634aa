/**
 * Turns `network create` options into a NetworkRecord (validated, subnet chosen), creating
 * nothing on the host: the bridge device appears on the first attach (CNI's bridge plugin makes
 * it), so a bad option can leave no debris. The caller persists the record.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { invalidArg, netConflict } from './errors.js';
import { formatCidr } from './ipv4.js';
import { checkIpamList, checkOverlap, validateIpam } from './ipam.js';
import { chooseSubnet } from './subnet-pool.js';
import type { NetworkRecord } from './types.js';

export const DEFAULT_BRIDGE_DEVICE = 'berth0';
import { OPT_BRIDGE_NAME, OPT_MASQ, OPT_MTU } from './options.js';
export { OPT_BRIDGE_NAME, OPT_MASQ, OPT_MTU };
const MACVLAN_MODES = ['bridge', 'private', 'vepa', 'passthru'] as const;

export interface PlanNetworkInput {
  name: string;
  driver?: 'bridge' | 'macvlan';
  ipam?: { subnet?: string; ipRange?: string; gateway?: string }[];
  /** IPAM.Options as sent (kept for inspect; the host-local IPAM takes none). */
  ipamOptions?: Record<string, string> | null;
  internal?: boolean;
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface PlanContext {
  /** Networks that exist (their subnets and devices must not clash). */
  existing: NetworkRecord[];
  /** Host routes (routes.ts hostRoutes()); automatic subnets avoid them. */
  hostRoutes: { net: number; prefix: number }[];
  /** Making the default `bridge` network. */
  isDefault?: boolean;
  id?: string;
  now?: Date;
  /** Whether a host interface exists (macvlan parent); default: /sys/class/net/NAME. */
  linkExists?: (name: string) => boolean;
}

const IFNAME_RE = /^[a-zA-Z0-9_.-]{1,15}$/;

export function planNetwork(input: PlanNetworkInput, ctx: PlanContext): NetworkRecord {
  // docker's rule (libnetwork IsValidName): anything but blank. Nothing on the host is named
  // after it: CNI config, leases, rule comments and devices use the id (cni-config.ts cniName).
  if (!input.name.trim()) throw invalidArg(`invalid name: ${input.name}`);
  const driver = input.driver ?? 'bridge';
  if (driver !== 'bridge' && driver !== 'macvlan') throw invalidArg(`plugin "${String(driver)}" not found`);
  const options = { ...(input.options ?? {}) };
  const id = ctx.id ?? randomBytes(32).toString('hex');
  const linkExists = ctx.linkExists ?? ((n: string) => existsSync(`/sys/class/net/${n}`));

  const cfg = checkIpamList(input.ipam ?? []);
  let plan;
  if (cfg) {
    plan = validateIpam(cfg);
    checkOverlap(
      plan.subnet,
      ctx.existing.map((n) => ({ name: n.name, subnet: n.subnet })),
    );
  } else {
    const auto = chooseSubnet([...ctx.hostRoutes, ...ctx.existing.map((n) => n.subnet)]);
    plan = validateIpam({ subnet: formatCidr(auto) });
  }

  let mtu: number | undefined;
  if (options[OPT_MTU] !== undefined) {
    mtu = Number(options[OPT_MTU]);
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw invalidArg(`invalid MTU ${options[OPT_MTU]}`);
  }

  const rec: NetworkRecord = {
    id,
    name: input.name,
    driver,
    internal: input.internal ?? false,
    subnet: plan.subnet,
    gateway: plan.gateway,
    ...(plan.ipRange ? { ipRange: plan.ipRange } : {}),
    userSubnet: cfg !== undefined,
    isDefault: ctx.isDefault ?? false,
    device: '',
    ipMasq: true,
    ...(mtu ? { mtu } : {}),
    options,
    labels: { ...(input.labels ?? {}) },
    created: (ctx.now ?? new Date()).toISOString(),
    ipamRequest: {
      options: input.ipamOptions ? { ...input.ipamOptions } : null,
      config: (input.ipam ?? []).flatMap((c) =>
        c.subnet ? [{ subnet: c.subnet, ...(c.ipRange ? { ipRange: c.ipRange } : {}), ...(c.gateway ? { gateway: c.gateway } : {}) }] : [],
      ),
    },
  };

  if (driver === 'bridge') {
    const dev = options[OPT_BRIDGE_NAME] ?? (rec.isDefault ? DEFAULT_BRIDGE_DEVICE : `br-${id.slice(0, 12)}`);
    if (!IFNAME_RE.test(dev)) throw invalidArg(`invalid bridge name "${dev}"`);
    if (ctx.existing.some((n) => n.driver === 'bridge' && n.device === dev)) {
      throw netConflict(`bridge name ${dev} is already used by another network`);
    }
    rec.device = dev;
    const masq = options[OPT_MASQ];
    if (masq !== undefined && masq !== 'true' && masq !== 'false') throw invalidArg(`invalid value for ${OPT_MASQ}: ${masq}`);
    // --internal: nothing leaves the network, so no masquerade (and no default route: cni-config.ts).
    rec.ipMasq = !rec.internal && masq !== 'false';
  } else {
    const parent = options.parent;
    if (!parent) throw invalidArg('macvlan: -o parent=IFACE is required');
    if (!IFNAME_RE.test(parent) || !linkExists(parent)) throw invalidArg(`-o parent interface was not found on the host: ${parent}`);
    const mode = options.macvlan_mode ?? 'bridge';
    if (!(MACVLAN_MODES as readonly string[]).includes(mode)) {
      throw invalidArg(`requested macvlan mode '${mode}' is not valid, 'bridge' mode is the macvlan driver default`);
    }
    rec.device = parent;
    rec.macvlanMode = mode as NetworkRecord['macvlanMode'];
    rec.ipMasq = false;
  }
  return rec;
}
