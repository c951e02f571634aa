/**
 * DashboardHosts over in-memory engines, with the states under the test's control: a host can
 * be taken down (as the pool would mark it) and brought back, and every report and retry the
 * dashboard makes is recorded.
 */
import type { Engine } from '../../src/engine/api.js';
import type { DashboardHosts, HostState } from '../../src/screens/hosts.js';

export class FakeHosts implements DashboardHosts {
  private readonly states: HostState[];
  private readonly listeners = new Set<() => void>();
  readonly reports: { name: string; error: string }[] = [];
  readonly retries: string[] = [];

  constructor(
    readonly engines: Record<string, Engine>,
    opts: { local?: Record<string, boolean>; labels?: Record<string, string> } = {},
  ) {
    this.states = Object.keys(engines).map((name) => ({
      name,
      label: opts.labels?.[name] ?? `fake://${name}`,
      local: opts.local?.[name] ?? false,
      state: 'up',
    }));
  }

  statuses(): readonly HostState[] {
    return this.states.map((s) => ({ ...s }));
  }

  async engine(name: string): Promise<Engine> {
    const e = this.engines[name];
    if (!e) throw new Error(`no host ${name}`);
    return e;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  set(name: string, state: HostState['state'], error?: string): void {
    const s = this.states.find((x) => x.name === name)!;
    s.state = state;
    s.error = error;
    for (const l of this.listeners) l();
  }

  report(name: string, error: string): void {
    this.reports.push({ name, error });
  }

  async retry(name: string): Promise<void> {
    this.retries.push(name);
  }
}
