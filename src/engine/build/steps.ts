/**
 * The instructions after FROM, by family: metadata (ARG, ENV, LABEL, MAINTAINER, CMD,
 * ENTRYPOINT, SHELL, EXPOSE, USER, VOLUME, STOPSIGNAL, ONBUILD, HEALTHCHECK, WORKDIR) here;
 * COPY/ADD in copy-step.ts; RUN in run-step.ts.
 */
import { posix } from 'node:path';
import type { OciImageConfigBody } from '../api.js';
import { invalid } from '../errors.js';
import { applyChanges } from '../image/changes.js';
import { expand, type Step } from './dockerfile.js';
import { DEFAULT_SHELL, duration, type State, type StepHost } from './build-state.js';
import { copyStep, layerStep } from './copy-step.js';
import { statIn } from './layer-fs.js';
import { runStep } from './run-step.js';

/** A name's value in a step: ENV first, then ARG. */
function vars(state: State): (n: string) => string | undefined {
  return (n) => {
    const env = (state.config.Env ?? []).find((e) => e.startsWith(`${n}=`));
    if (env) return env.slice(n.length + 1);
    return state.args.get(n);
  };
}

/**
 * One instruction after FROM: the metadata ones here (a config change and an empty-layer history
 * entry, cached), COPY/ADD and RUN through their own modules.
 */
export async function step(b: StepHost, state: State, s: Step): Promise<void> {
  const x = (t: string) => expand(t, vars(state), s.line);
  const shell = state.config.Shell?.length ? state.config.Shell : DEFAULT_SHELL;
  const cmdForm = () => s.json ?? [...shell, s.text];
  switch (s.keyword) {
    case 'ARG': {
      const globals = (state as State & { globals?: Map<string, string | undefined> }).globals;
      for (const [k, v] of s.props) {
        const val = b.opts.buildArgs?.[k] ?? (v !== undefined ? x(v) : globals?.get(k));
        state.args.set(k, val);
      }
      b.say(' ---> (ARG)');
      return;
    }
    case 'ENV':
      return b.meta(state, `ENV ${s.text}`, () => {
        const pairs = s.props.map(([k, v]) => [k, x(v ?? '')] as const);
        let env = [...(state.config.Env ?? [])];
        for (const [k, v] of pairs) env = [...env.filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
        state.config = { ...state.config, Env: env };
      });
    case 'LABEL':
      return b.meta(state, `LABEL ${s.text}`, () => {
        const labels = { ...(state.config.Labels ?? {}) };
        for (const [k, v] of s.props) labels[x(k)] = x(v ?? '');
        state.config = { ...state.config, Labels: labels };
      });
    case 'MAINTAINER':
      return b.meta(state, `MAINTAINER ${s.text}`, () => {
        (state as State & { author?: string }).author = s.text;
      });
    case 'CMD':
      return b.meta(state, `CMD ${s.json ? JSON.stringify(s.json) : JSON.stringify(cmdForm())}`, () => {
        state.config = { ...state.config, Cmd: cmdForm() };
        state.cmdSet = true;
      });
    case 'ENTRYPOINT':
      return b.meta(state, `ENTRYPOINT ${JSON.stringify(cmdForm())}`, () => {
        state.config = { ...state.config, Entrypoint: cmdForm(), ...(state.cmdSet ? {} : { Cmd: null }) };
      });
    case 'SHELL':
      return b.meta(state, `SHELL ${JSON.stringify(s.json)}`, () => {
        state.config = { ...state.config, Shell: s.json! };
      });
    case 'EXPOSE':
    case 'USER':
    case 'VOLUME':
    case 'STOPSIGNAL':
    case 'ONBUILD': {
      const arg = s.keyword === 'ONBUILD' ? s.text : x(s.text);
      return b.meta(state, `${s.keyword} ${arg}`, () => {
        try {
          state.config = applyChanges(state.config, [`${s.keyword} ${arg}`]);
        } catch (e) {
          throw invalid(`Dockerfile line ${s.line}: ${(e as Error).message}`);
        }
      });
    }
    case 'HEALTHCHECK': {
      const kind = s.words[0]!.toUpperCase();
      let hc: OciImageConfigBody['Healthcheck'];
      if (kind === 'NONE') hc = { Test: ['NONE'] };
      else if (kind === 'CMD') {
        const rest = s.text.replace(/^\s*CMD\s*/i, '');
        const json = (await import('./dockerfile.js')).parseJsonArray(rest);
        hc = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', rest] };
        const f = s.flags;
        if (f.interval) hc.Interval = duration(f.interval, 'interval');
        if (f.timeout) hc.Timeout = duration(f.timeout, 'timeout');
        if (f['start-period']) hc.StartPeriod = duration(f['start-period'], 'start-period');
        if (f.retries) hc.Retries = Number(f.retries);
      } else throw invalid(`Dockerfile parse error on line ${s.line}: Unknown type "${s.words[0]}" in HEALTHCHECK (try CMD)`);
      return b.meta(state, `HEALTHCHECK &{${JSON.stringify(hc)}}`, () => {
        state.config = { ...state.config, Healthcheck: hc };
      });
    }
    case 'WORKDIR': {
      const dir = posix.resolve(state.config.WorkingDir || '/', x(s.text));
      state.config = { ...state.config, WorkingDir: dir };
      if (statIn(b.store, state, dir)?.isDir) return b.meta(state, `WORKDIR ${dir}`, () => undefined);
      // BuildKit creates the directory as a layer of its own
      return layerStep(b, state, s, `WORKDIR ${dir}`, { dest: `${dir}/`, sources: [], root: { root: b.context, what: 'build context' } });
    }
    case 'COPY':
    case 'ADD':
      return copyStep(b, state, s, x);
    case 'RUN':
      return runStep(b, state, s, cmdForm());
    default:
      throw invalid(`Dockerfile parse error on line ${s.line}: ${s.keyword} is not supported`);
  }
}
