/**
 * Dockerfile-style changes applied to an image config (`import -c`, `commit -c`):
 * CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL, ONBUILD.
 */
import type { OciImageConfigBody } from '../api.js';
import { invalid } from '../errors.js';

/** JSON-array form, else a shell form wrapped in /bin/sh -c (as docker does). */
function commandForm(arg: string, shell = true): string[] {
  const t = arg.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      /* not JSON: shell form */
    }
  }
  return shell ? ['/bin/sh', '-c', t] : t.split(/\s+/).filter(Boolean);
}

/** KEY=VALUE pairs (quotes allowed) or the legacy "KEY VALUE" form. */
function pairs(arg: string): [string, string][] {
  const out: [string, string][] = [];
  const t = arg.trim();
  if (!/^[^\s=]+=/.test(t)) {
    const sp = t.search(/\s/);
    if (sp < 0) throw invalid(`ENV/LABEL needs a value: ${t}`);
    return [[t.slice(0, sp), t.slice(sp).trim()]];
  }
  const re = /([^\s=]+)=("((?:\\.|[^"\\])*)"|'([^']*)'|(\S*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) out.push([m[1]!, m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? m[5] ?? '')]);
  return out;
}

export function applyChanges(cfg: OciImageConfigBody, changes: string[]): OciImageConfigBody {
  const c: OciImageConfigBody = structuredClone(cfg);
  for (const change of changes) {
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(change);
    if (!m) throw invalid(`invalid change: ${change}`);
    const [, instr, arg] = m as unknown as [string, string, string];
    switch (instr.toUpperCase()) {
      case 'CMD':
        c.Cmd = commandForm(arg);
        break;
      case 'ENTRYPOINT':
        c.Entrypoint = commandForm(arg);
        break;
      case 'ENV':
        for (const [k, v] of pairs(arg)) c.Env = [...(c.Env ?? []).filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
        break;
      case 'LABEL':
        for (const [k, v] of pairs(arg)) c.Labels = { ...(c.Labels ?? {}), [k]: v };
        break;
      case 'EXPOSE':
        for (const p of arg.split(/\s+/).filter(Boolean)) {
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(p)) throw invalid(`invalid port in EXPOSE: ${p}`);
          c.ExposedPorts = { ...(c.ExposedPorts ?? {}), [p.includes('/') ? p : `${p}/tcp`]: {} };
        }
        break;
      case 'USER':
        c.User = arg.trim();
        break;
      case 'WORKDIR':
        c.WorkingDir = arg.trim().startsWith('/') ? arg.trim() : `${c.WorkingDir ?? '/'}/${arg.trim()}`.replace(/\/+/g, '/');
        break;
      case 'VOLUME':
        for (const v of commandForm(arg, false)) c.Volumes = { ...(c.Volumes ?? {}), [v]: {} };
        break;
      case 'STOPSIGNAL':
        c.StopSignal = arg.trim();
        break;
      case 'ONBUILD':
        c.OnBuild = [...(c.OnBuild ?? []), arg.trim()];
        break;
      default:
        throw invalid(`${instr} is not a valid change command`);
    }
  }
  return c;
}
