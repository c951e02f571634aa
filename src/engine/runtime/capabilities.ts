/**
 * Linux capabilities as docker names and combines them (moby's oci/caps): --cap-add/--cap-drop
 * take names with or without CAP_, in any case, or ALL; --privileged grants every one.
 *
 * "Every one" is bounded by what the engine itself holds: runc cannot give a container a
 * capability missing from its own bounding set (capset fails with EPERM, "unable to apply caps";
 * docker fails --privileged that way on such hosts). So ALL and --privileged mean every
 * capability the engine holds, and naming one it lacks is refused at create.
 */
import { readFileSync } from 'node:fs';
import { invalid } from '../errors.js';
import { DEFAULT_CAPS } from './defaults.js';

/** Every capability, in kernel order: the index is the bit in /proc/PID/status masks. */
export const CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

const KNOWN = new Set<string>(CAPABILITIES);

/** The names a 64-bit capability mask (hex, as /proc/PID/status prints it) holds. */
export function decodeCapMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim() || '0'}`);
  return CAPABILITIES.filter((_c, i) => (mask >> BigInt(i)) & 1n);
}

let held: Set<string> | undefined;
/** The engine's own bounding set (read once: it cannot grow). */
export function heldCapabilities(): Set<string> {
  if (!held) {
    const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    held = new Set(m ? decodeCapMask(m[1]!) : CAPABILITIES);
  }
  return held;
}

/**
 * docker's normalisation (NormalizeLegacyCapabilities): upper case, CAP_ prefixed, ALL kept.
 * `field` names the list in the error, as dockerd does ("invalid CapAdd: unknown capability").
 */
export function normalizeCaps(list: string[], field: 'CapAdd' | 'CapDrop'): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const c = raw.trim().toUpperCase();
    if (c === 'ALL') {
      out.push(c);
      continue;
    }
    const name = c.startsWith('CAP_') ? c : `CAP_${c}`;
    if (!KNOWN.has(name)) throw invalid(`invalid ${field}: unknown capability: "${name}"`);
    out.push(name);
  }
  return [...new Set(out)];
}

/**
 * The container's capability set, as docker's TweakCapabilities computes it: privileged gets
 * everything; ALL in add means everything but the drops; ALL in drop means only the adds;
 * otherwise docker's defaults less the drops plus the adds. "Everything" is what `holds` has.
 */
export function effectiveCaps(o: { privileged?: boolean; capAdd?: string[]; capDrop?: string[] }, holds: Set<string> = heldCapabilities()): string[] {
  const all = CAPABILITIES.filter((c) => holds.has(c));
  if (o.privileged) return all;
  const add = normalizeCaps(o.capAdd ?? [], 'CapAdd');
  const drop = normalizeCaps(o.capDrop ?? [], 'CapDrop');
  let caps: string[];
  if (add.includes('ALL')) caps = all.filter((c) => !drop.includes(c));
  else if (drop.includes('ALL')) caps = add;
  else caps = [...DEFAULT_CAPS.filter((c) => !drop.includes(c)), ...add.filter((c) => !DEFAULT_CAPS.includes(c as (typeof DEFAULT_CAPS)[number]))];
  return [...new Set(caps)];
}

/** Refuses a named capability the engine cannot give (see the file comment). */
export function checkGrantable(capAdd: string[], holds: Set<string> = heldCapabilities()): void {
  for (const c of normalizeCaps(capAdd, 'CapAdd')) {
    if (c !== 'ALL' && !holds.has(c)) {
      throw invalid(`invalid CapAdd: capability "${c}" is not in the engine's own bounding set, so no container it runs can have it`);
    }
  }
}
