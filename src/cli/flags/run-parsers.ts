/**
 * The syntax of docker's run/create option values (its cli/command/container/opts.go and
 * go-units), with the docker CLI's messages: devices, ulimits, sysctls, security options (a
 * seccomp profile file is read here and sent as its content, as docker's CLI does), log
 * options, exposed ports, label and env files. Meaning is the engine's to check.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { DeviceMapping, Ulimit } from '../../engine/api.js';
import { isIpcSysctl, ULIMIT_NAMES } from '../../engine/index.js';
import { usageError } from './usage-error.js';

const flagError = (value: string, flag: string, why: string) => usageError(`invalid argument "${value}" for "--${flag}" flag: ${why}`);

const validMode = (m: string) => m !== '' && /^[rwm]+$/.test(m) && new Set(m).size === m.length;

/** `--device HOST[:CONTAINER][:rwm]` (docker's validateLinuxPath + parseLinuxDevice). */
export function parseDevice(spec: string): DeviceMapping {
  if ((spec.match(/:/g) ?? []).length > 2 || spec.startsWith(':') || spec === '') throw usageError(`bad format for path: ${spec}`);
  const parts = spec.split(':');
  let host = parts[0]!;
  let container = host;
  let mode = 'rwm';
  if (parts.length === 2) {
    if (validMode(parts[1]!)) mode = parts[1]!;
    else container = parts[1]!;
  } else if (parts.length === 3) {
    container = parts[1]!;
    if (!validMode(parts[2]!)) throw usageError(`bad mode specified: ${parts[2]}`);
    mode = parts[2]!;
  }
  if (!posix.isAbsolute(container)) throw usageError(`${container} is not an absolute path`);
  if (parts.length === 1) host = posix.normalize(host);
  return { pathOnHost: host, pathInContainer: posix.normalize(container), cgroupPermissions: mode };
}

function goInt(v: string, value: string, flag: string): number {
  if (!/^[-+]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw flagError(value, flag, `strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

/** `--ulimit name=soft[:hard]` (go-units' ParseUlimit). */
export function parseUlimit(spec: string): Ulimit {
  const eq = spec.indexOf('=');
  if (eq < 0) throw flagError(spec, 'ulimit', `invalid ulimit argument: ${spec}`);
  const name = spec.slice(0, eq);
  if (!(ULIMIT_NAMES as readonly string[]).includes(name)) throw flagError(spec, 'ulimit', `invalid ulimit type: ${name}`);
  const vals = spec.slice(eq + 1).split(':');
  if (vals.length > 2) throw flagError(spec, 'ulimit', `too many limit value arguments - ${spec.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``);
  const soft = goInt(vals[0]!, spec, 'ulimit');
  const hard = vals.length === 2 ? goInt(vals[1]!, spec, 'ulimit') : soft;
  if (hard !== -1) {
    if (soft === -1) throw flagError(spec, 'ulimit', `ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${hard}`);
    if (soft > hard) throw flagError(spec, 'ulimit', `ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  }
  return { name, soft, hard };
}

/** `--sysctl name=value`, only the names docker's CLI allows (opts.ValidateSysctl). */
export function parseSysctls(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of list) {
    const eq = s.indexOf('=');
    const name = eq < 0 ? s : s.slice(0, eq);
    if (eq < 0 || !(isIpcSysctl(name) || name.startsWith('net.'))) {
      throw flagError(s, 'sysctl', `sysctl '${s}' is not whitelisted`);
    }
    out[name] = s.slice(eq + 1);
  }
  return out;
}

/** `--security-opt`: docker's CLI check, and a seccomp profile file replaced by its content. */
export function parseSecurityOpts(list: string[] = []): string[] {
  return list.map((opt) => {
    let sep = opt.indexOf('=');
    if (sep < 0 && opt !== 'no-new-privileges') {
      sep = opt.indexOf(':');
      if (sep < 0) throw usageError(`Invalid --security-opt: "${opt}"`);
    }
    if (sep < 0) return opt;
    const key = opt.slice(0, sep);
    const value = opt.slice(sep + 1);
    if (key !== 'seccomp' || value === 'unconfined') return opt;
    let text: string;
    try {
      text = readFileSync(value, 'utf8');
    } catch (e) {
      throw usageError(
        `opening seccomp profile (${value}) failed: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `open ${value}: no such file or directory` : (e as Error).message}`,
      );
    }
    try {
      return `seccomp=${JSON.stringify(JSON.parse(text))}`; // compacted, as docker's CLI sends it
    } catch (e) {
      throw usageError(`compacting json for seccomp profile (${value}) failed: ${(e as Error).message}`);
    }
  });
}

/** `--log-opt k=v` (a bare key means an empty value); none takes no options. */
export function parseLogOpts(driver: string | undefined, list: string[] = []): Record<string, string> {
  if (driver === 'none' && list.length) throw usageError('invalid logging opts for driver none');
  const out: Record<string, string> = {};
  for (const o of list) {
    const eq = o.indexOf('=');
    if (eq < 0) out[o] = '';
    else out[o.slice(0, eq)] = o.slice(eq + 1);
  }
  return out;
}

/** `--expose PORT[/PROTO]` or a range `START-END[/PROTO]`. */
export function parseExpose(list: string[] = []): string[] {
  const out: string[] = [];
  for (const e of list) {
    if (e.includes(':')) throw usageError(`invalid port format for --expose: ${e}`);
    const [range, proto = 'tcp'] = e.split('/');
    const m = /^(\d+)(?:-(\d+))?$/.exec(range ?? '');
    const a = Number(m?.[1]);
    const b = m?.[2] !== undefined ? Number(m[2]) : a;
    if (!m || a > 65535 || b > 65535 || b < a) throw usageError(`invalid range format for --expose: ${e}, error: invalid port range: ${range}`);
    for (let p = a; p <= b; p++) out.push(`${p}/${proto.toLowerCase()}`);
  }
  return [...new Set(out)];
}

/** The lines of an env or label file: blank lines and # comments skipped, leading blanks trimmed. */
export function kvFileLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError(`open ${path}: no such file or directory`);
  }
  return text
    .split('\n')
    .map((l) => l.replace(/^\s+/, '').replace(/\r$/, ''))
    .filter((l) => l && !l.startsWith('#'));
}

/** `--env-file`: KEY=VALUE lines; a bare KEY takes the caller's value (docker's rule). */
export function envFile(path: string): string[] {
  return kvFileLines(path).flatMap((l) => {
    const eq = l.indexOf('=');
    const key = eq < 0 ? l : l.slice(0, eq);
    if (/\s/.test(key)) throw usageError(`variable '${key}' contains whitespaces`);
    if (eq >= 0) return [l];
    // a bare NAME takes this shell's value, and is left out when it has none (docker's CLI)
    const v = process.env[key];
    return v === undefined ? [] : [`${key}=${v}`];
  });
}

/** `-e NAME=VALUE`, or `-e NAME`: this shell's value, or the bare name when it has none (docker's ValidateEnv). */
export function envFlag(e: string): string {
  const eq = e.indexOf('=');
  if (eq === 0 || e === '') throw usageError(`invalid environment variable: ${e}`);
  if (eq > 0) return e;
  const v = process.env[e];
  return v === undefined ? e : `${e}=${v}`;
}

/** `--label-file`: KEY=VALUE lines, a bare KEY is an empty label. */
export function labelFile(path: string): string[] {
  return kvFileLines(path);
}

const MAC = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/;

export function checkMac(mac: string | undefined): string | undefined {
  if (mac === undefined || mac === '') return undefined;
  if (!MAC.test(mac)) throw usageError(`${mac} is not a valid mac address`);
  return mac.replace(/-/g, ':');
}

/** Flags docker's CLI checks itself (the daemon gives other messages for the same). */
export function checkModes(f: { pid?: string; uts?: string; userns?: string; cgroupns?: string }): void {
  if (f.pid !== undefined && !(f.pid === '' || f.pid === 'host' || /^container:.+/.test(f.pid))) throw usageError('--pid: invalid PID mode');
  if (f.uts !== undefined && !['', 'host'].includes(f.uts)) throw usageError('--uts: invalid UTS mode');
  if (f.userns !== undefined && !['', 'host'].includes(f.userns)) throw usageError('--userns: invalid USER mode');
  if (f.cgroupns !== undefined && !['', 'host', 'private'].includes(f.cgroupns)) throw usageError('--cgroupns: invalid CGROUP mode');
}
