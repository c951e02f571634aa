/**
 * POST /commit's body is a container config whose set fields override the committed image's.
 * The engine's commit takes Dockerfile-style changes, so each field becomes one (JSON forms,
 * which carry any string unchanged).
 */
import { ApiError } from './errors.js';

const strings = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ApiError(400, `${what}: expected a list of strings`);
  return v as string[];
};
const keys = (v: unknown, what: string): string[] => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ApiError(400, `${what}: expected an object`);
  return Object.keys(v);
};

export function commitChanges(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  const c = config;
  if (c.Cmd != null) out.push(`CMD ${JSON.stringify(typeof c.Cmd === 'string' ? [c.Cmd] : strings(c.Cmd, 'Cmd'))}`);
  if (c.Entrypoint != null) out.push(`ENTRYPOINT ${JSON.stringify(typeof c.Entrypoint === 'string' ? [c.Entrypoint] : strings(c.Entrypoint, 'Entrypoint'))}`);
  if (c.Env != null) {
    for (const e of strings(c.Env, 'Env')) {
      const eq = e.indexOf('=');
      if (eq > 0) out.push(`ENV ${e.slice(0, eq)}=${JSON.stringify(e.slice(eq + 1))}`);
    }
  }
  if (c.Labels != null) {
    for (const [k, v] of Object.entries(c.Labels as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new ApiError(400, `Labels.${k}: expected a string`);
      out.push(`LABEL ${k}=${JSON.stringify(v)}`);
    }
  }
  if (c.ExposedPorts != null) for (const p of keys(c.ExposedPorts, 'ExposedPorts')) out.push(`EXPOSE ${p}`);
  if (c.Volumes != null) for (const v of keys(c.Volumes, 'Volumes')) out.push(`VOLUME ${JSON.stringify([v])}`);
  if (typeof c.WorkingDir === 'string' && c.WorkingDir !== '') out.push(`WORKDIR ${c.WorkingDir}`);
  if (typeof c.User === 'string' && c.User !== '') out.push(`USER ${c.User}`);
  if (typeof c.StopSignal === 'string' && c.StopSignal !== '') out.push(`STOPSIGNAL ${c.StopSignal}`);
  return out;
}
