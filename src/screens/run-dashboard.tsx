/**
 * Entry point: draws the dashboard on the terminal until the user quits, and always gives the
 * terminal back as it found it — on q, Ctrl-C (a binding, since raw mode swallows SIGINT),
 * SIGTERM, SIGHUP, and on an exception anywhere in the process.
 */
import { createRequire } from 'node:module';
import type { Engine } from '../engine/api.js';
import { isInteractiveTerminal } from '../ui/terminal-caps.js';
import { installInkPatches } from '../ui/ink-patches.js';
import type { HostStatsSource } from './host-stats.js';
import type { DashboardHosts } from './hosts.js';
import { withoutFetch } from '../ui/without-fetch.js';

export { isInteractiveTerminal } from '../ui/terminal-caps.js';

export const NOT_A_TERMINAL = 'berth: the dashboard needs a terminal';

export interface RunDashboardOptions {
  /** Stats period in ms (default 1000). */
  refreshMs?: number;
  /** "embedded", "docker 27.1", … as shown in the header (one engine). */
  engineLabel?: string;
  /** With several hosts: the host to open on, or ALL_HOSTS. */
  initialHost?: string;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  hostStats?: HostStatsSource | null;
}

// Leave the alternate screen, show the cursor, end bracketed paste: what Ink's unmount does,
// repeated as a last resort when the process dies before Ink could unmount.
const RESTORE = '\u001B[?2004l\u001B[?25h\u001B[?1049l';

const SIGNALS = { SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * React's development build costs ~20 % more CPU per frame. Each of react, react-reconciler and
 * scheduler picks its build from NODE_ENV when first loaded, so NODE_ENV may only be set while
 * none of them is loaded yet — a dev React under a production reconciler renders nothing.
 */
function preferProductionReact(): void {
  if (process.env['NODE_ENV'] !== undefined) return;
  const cache = createRequire(import.meta.url).cache;
  const loaded = Object.keys(cache).some((k) => /[\\/]node_modules[\\/](react|react-reconciler|scheduler)[\\/]/.test(k));
  if (!loaded) process.env['NODE_ENV'] = 'production';
}

type UiModules = [typeof import('react'), typeof import('ink'), typeof import('./Dashboard.js')];
let uiModules: Promise<UiModules> | undefined;

/**
 * Starts loading React, Ink and the screens (~0.5 s of CPU, more on a loaded host) so that
 * the caller can open the engine meanwhile; runDashboard awaits the same promise.
 */
export function preloadDashboard(): Promise<UiModules> {
  if (!uiModules) {
    preferProductionReact();
    // First: its resolve hooks must be in place before Ink's modules are resolved.
    const patched = installInkPatches();
    uiModules = withoutFetch(() => Promise.all([import('react'), import('ink'), import('./Dashboard.js'), patched])).then(
      ([r, i, d]) => [r, i, d] as UiModules,
    );
  }
  return uiModules;
}

/** The dashboard on one engine, or on several hosts (a HostPool) with the host switcher. */
export async function runDashboard(target: Engine | DashboardHosts, opts: RunDashboardOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  if (!isInteractiveTerminal(stdin, stdout)) throw new Error(NOT_A_TERMINAL);

  const [{ createElement }, { render }, { Dashboard }] = await preloadDashboard();

  const app = render(
    // No JSX in this file: a static react/jsx-runtime import would load React before
    // preferProductionReact() could choose its build.
    createElement(Dashboard, {
      ...('statuses' in target ? { hosts: target, initialHost: opts.initialHost } : { engine: target, engineLabel: opts.engineLabel }),
      refreshMs: opts.refreshMs,
      hostStats: opts.hostStats,
    }),
    {
      stdout,
      stdin,
      exitOnCtrlC: false, // Ctrl-C is the 'quit' binding, so it unmounts like q does
      alternateScreen: true,
      incrementalRendering: true,
      // We checked for a TTY ourselves; CI=true must not turn the dashboard into a final-frame dump.
      interactive: true,
      patchConsole: true,
      maxFps: 20,
    },
  );

  let unmounted = false;
  let failure: unknown;
  const finish = () => {
    if (unmounted) return;
    unmounted = true;
    try {
      app.unmount();
    } catch {
      // The terminal may be gone (SIGHUP); nothing left to restore on it.
    }
  };
  const onSignal = (sig: keyof typeof SIGNALS) => {
    process.exitCode = 128 + SIGNALS[sig];
    finish();
  };
  const onTerm = () => onSignal('SIGTERM');
  const onHup = () => onSignal('SIGHUP');
  const onCrash = (err: unknown) => {
    failure ??= err;
    finish();
  };
  const onExit = () => {
    // The process is exiting without an unmount (process.exit elsewhere): restore by hand.
    if (!unmounted) {
      try {
        stdin.setRawMode?.(false);
        stdout.write(RESTORE);
      } catch {
        // best effort
      }
    }
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', onExit);
  try {
    await app.waitUntilExit();
  } catch (e) {
    failure ??= e;
  } finally {
    unmounted = true;
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', onExit);
  }
  if (failure) throw failure;
}
