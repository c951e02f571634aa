/**
 * Seccomp profiles in docker's format (what `--security-opt seccomp=FILE` takes, and what
 * seccomp/default-profile.json holds: docker's default) → the OCI config's `linux.seccomp` for
 * one container, as moby's profiles/seccomp does it: rules kept or dropped by the container's
 * capabilities, the machine's architecture and kernel; `archMap` narrowed to this machine.
 * The profile is JSON from outside: it is checked here, once, before anything uses it.
 */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { invalid } from '../errors.js';
import { packageRoot } from '../install.js';

export interface OciSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

export interface OciSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

/** The OCI config's linux.seccomp. */
export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  syscalls: OciSyscall[];
}

interface Filter {
  caps: string[];
  arches: string[];
  minKernel?: [number, number];
}

interface ProfileRule extends OciSyscall {
  includes: Filter;
  excludes: Filter;
}

/** A docker-format profile, checked. */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  archMap: { architecture: string; subArchitectures: string[] }[];
  flags: string[];
  syscalls: ProfileRule[];
}

const ACTIONS = new Set([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
]);
const OPS = new Set(['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ']);

/** Node's process.arch → docker's native names (used in includes/excludes) and libseccomp's. */
const ARCH: Record<string, { native: string; scmp: string }> = {
  x64: { native: 'amd64', scmp: 'SCMP_ARCH_X86_64' },
  ia32: { native: 'x86', scmp: 'SCMP_ARCH_X86' },
  arm64: { native: 'arm64', scmp: 'SCMP_ARCH_AARCH64' },
  arm: { native: 'arm', scmp: 'SCMP_ARCH_ARM' },
  s390x: { native: 's390x', scmp: 'SCMP_ARCH_S390X' },
  ppc64: { native: 'ppc64le', scmp: 'SCMP_ARCH_PPC64LE' },
  riscv64: { native: 'riscv64', scmp: 'SCMP_ARCH_RISCV64' },
  mips64el: { native: 'mips64le', scmp: 'SCMP_ARCH_MIPSEL64' },
};

const bad = (why: string) => invalid(`Decoding seccomp profile failed: ${why}`);
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function strList(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`${what} must be a list of strings`);
  return v as string[];
}

function uint(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`${what} must be a non-negative integer`);
  return v;
}

function action(v: unknown, what: string): string {
  if (typeof v !== 'string' || !ACTIONS.has(v)) throw bad(`${what}: unknown action ${JSON.stringify(v)}`);
  return v;
}

function filter(v: unknown, what: string): Filter {
  if (v === undefined || v === null) return { caps: [], arches: [] };
  if (!isObj(v)) throw bad(`${what} must be an object`);
  const f: Filter = { caps: strList(v.caps, `${what}.caps`), arches: strList(v.arches, `${what}.arches`) };
  if (v.minKernel !== undefined && v.minKernel !== null && v.minKernel !== '') {
    const m = typeof v.minKernel === 'string' ? /^(\d+)\.(\d+)$/.exec(v.minKernel) : null;
    if (!m) throw bad(`${what}.minKernel must be "<kernel>.<major>"`);
    f.minKernel = [Number(m[1]), Number(m[2])];
  }
  return f;
}

/** Parses and checks a profile (JSON text in docker's format). */
export function parseSeccompProfile(text: string): SeccompProfile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!isObj(v)) throw bad('the profile is not a JSON object');
  const architectures = strList(v.architectures, 'architectures');
  const archMap = (Array.isArray(v.archMap) ? v.archMap : v.archMap == null ? [] : null)?.map((a, i) => {
    if (!isObj(a) || typeof a.architecture !== 'string') throw bad(`archMap[${i}] needs an architecture`);
    return { architecture: a.architecture, subArchitectures: strList(a.subArchitectures, `archMap[${i}].subArchitectures`) };
  });
  if (!archMap) throw bad('archMap must be a list');
  if (architectures.length && archMap.length)
    throw bad("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'");
  if (v.syscalls !== undefined && v.syscalls !== null && !Array.isArray(v.syscalls)) throw bad('syscalls must be a list');
  const syscalls = ((v.syscalls as unknown[] | null | undefined) ?? []).map((s, i): ProfileRule => {
    const what = `syscalls[${i}]`;
    if (!isObj(s)) throw bad(`${what} must be an object`);
    let names = strList(s.names, `${what}.names`);
    if (typeof s.name === 'string' && s.name !== '') {
      if (names.length) throw bad("use either 'name' or 'names'");
      names = [s.name];
    }
    const rule: ProfileRule = {
      names,
      action: action(s.action, what),
      includes: filter(s.includes, `${what}.includes`),
      excludes: filter(s.excludes, `${what}.excludes`),
    };
    if (s.errnoRet !== undefined && s.errnoRet !== null) rule.errnoRet = uint(s.errnoRet, `${what}.errnoRet`);
    if (Array.isArray(s.args) && s.args.length) {
      rule.args = s.args.map((a, j) => {
        if (!isObj(a) || typeof a.op !== 'string' || !OPS.has(a.op)) throw bad(`${what}.args[${j}] needs a known op`);
        return {
          index: uint(a.index, `${what}.args[${j}].index`),
          value: uint(a.value, `${what}.args[${j}].value`),
          ...(a.valueTwo ? { valueTwo: uint(a.valueTwo, `${what}.args[${j}].valueTwo`) } : {}),
          op: a.op,
        };
      });
    }
    return rule;
  });
  if ((v.defaultAction === undefined || v.defaultAction === '') && !syscalls.length) throw bad('the profile has neither a defaultAction nor syscalls');
  const p: SeccompProfile = { defaultAction: action(v.defaultAction, 'defaultAction'), architectures, archMap, flags: strList(v.flags, 'flags'), syscalls };
  if (v.defaultErrnoRet !== undefined && v.defaultErrnoRet !== null) p.defaultErrnoRet = uint(v.defaultErrnoRet, 'defaultErrnoRet');
  return p;
}

function kernelAtLeast(want: [number, number], rel = release()): boolean {
  const m = /^(\d+)\.(\d+)/.exec(rel);
  if (!m) return false;
  const [k, maj] = [Number(m[1]), Number(m[2])];
  return k > want[0] || (k === want[0] && maj >= want[1]);
}

/**
 * The profile as the OCI config gives it to runc, for a container whose bounding set is
 * `caps` on this machine (moby's setupSeccomp).
 */
export function seccompFor(p: SeccompProfile, caps: string[], arch = process.arch, kernel = release()): OciSeccomp {
  const here = ARCH[arch];
  const out: OciSeccomp = { defaultAction: p.defaultAction, syscalls: [] };
  if (p.defaultErrnoRet !== undefined) out.defaultErrnoRet = p.defaultErrnoRet;
  if (p.architectures.length) out.architectures = [...p.architectures];
  const mapped = here && p.archMap.find((a) => a.architecture === here.scmp);
  if (mapped) out.architectures = [mapped.architecture, ...mapped.subArchitectures];
  if (p.flags.length) out.flags = [...p.flags];
  const native = here?.native ?? arch;
  for (const r of p.syscalls) {
    if (r.excludes.arches.includes(native)) continue;
    if (r.excludes.caps.some((c) => caps.includes(c))) continue;
    if (r.excludes.minKernel && kernelAtLeast(r.excludes.minKernel, kernel)) continue;
    if (r.includes.arches.length && !r.includes.arches.includes(native)) continue;
    if (r.includes.caps.some((c) => !caps.includes(c))) continue;
    if (r.includes.minKernel && !kernelAtLeast(r.includes.minKernel, kernel)) continue;
    out.syscalls.push({ names: r.names, action: r.action, ...(r.errnoRet !== undefined ? { errnoRet: r.errnoRet } : {}), ...(r.args ? { args: r.args } : {}) });
  }
  return out;
}

let builtin: SeccompProfile | undefined;
/** docker's default profile (seccomp/default-profile.json, read once). */
export function defaultSeccompProfile(): SeccompProfile {
  builtin ??= parseSeccompProfile(readFileSync(new URL('src/engine/runtime/seccomp/default-profile.json', packageRoot), 'utf8'));
  return builtin;
}
