/**
 * The dashboard: header, pane tabs, the active pane (or a detail / logs / help view) in a frame,
 * the status line and key hints. Owns navigation state; data comes from hooks over the Engine
 * (lists refreshed by events, stats by the sampler), actions from the *-actions tables.
 */
import { useCallback, useMemo, useState } from 'react';
import { Box, Text, useApp, useStderr, useStdin, useStdout, useWindowSize } from 'ink';
import type { ContainerSummary, Engine, ProcessIO } from '../engine/api.js';
import type { Command, Scope } from '../ui/bindings.js';
import { useCommands } from '../ui/use-commands.js';
import { Table } from '../ui/Table.js';
import { Line } from '../ui/Line.js';
import { StatusLine, type Status } from '../ui/StatusLine.js';
import { UiProvider } from '../ui/ui-context.js';
import { useUi } from '../ui/use-ui.js';
import { detectCaps, type TerminalCaps } from '../ui/terminal-caps.js';
import { sparkline } from '../ui/sparkline.js';
import { editLine } from '../ui/line-edit.js';
import { EngineContext } from './engine-context.js';
import { PANES, cyclePane, type PaneId } from './panes.js';
import { applyView, type PaneSpec } from './pane-spec.js';
import { containersSpec, SPARK_WIDTH, type ContainerCtx } from './containers-view.js';
import { imagesSpec } from './images-view.js';
import { networksSpec } from './networks-view.js';
import { volumesSpec } from './volumes-view.js';
import { useResources } from './use-resources.js';
import { useStats } from './use-stats.js';
import { samplesPerMinute } from './stats-history.js';
import { useEngineInfo } from './use-engine-info.js';
import { systemHostStats, type HostStatsSource } from './host-stats.js';
import { realClock, type Clock } from './clock.js';
import { usePaneState, resolveIndex } from './use-pane-state.js';
import { headerText, tabsText } from './header-text.js';
import { hintText } from './hint-text.js';
import type { Overlay } from './overlay.js';
import { overlayHeight } from './overlay.js';
import { OverlayView } from './OverlayView.js';
import { containerAction } from './container-actions.js';
import { resourceAction } from './resource-actions.js';
import { DetailScreen } from './DetailScreen.js';
import { LogsScreen } from './LogsScreen.js';
import { HelpScreen } from './HelpScreen.js';

export interface DashboardProps {
  engine: Engine;
  engineLabel: string;
  /** Stats period; lists refresh on events, not on this. */
  refreshMs?: number;
  /** Defaults to detection from the environment (NO_COLOR, locale). */
  caps?: TerminalCaps;
  /** Host CPU/memory for the header; null disables (tests, benchmarks). */
  hostStats?: HostStatsSource | null;
  clock?: Clock;
  /** Overrides the terminal size (tests; ink-testing-library's stdout has no rows). */
  size?: { columns: number; rows: number };
}

type Mode = { kind: 'list' } | { kind: 'detail'; pane: PaneId; key: string } | { kind: 'logs'; id: string } | { kind: 'help'; back: Mode };

const MIN_COLUMNS = 40;
const MIN_ROWS = 10;

export function Dashboard(props: DashboardProps) {
  const caps = useMemo(() => props.caps ?? detectCaps(), [props.caps]);
  return (
    <EngineContext.Provider value={props.engine}>
      <UiProvider caps={caps}>
        <DashboardApp {...props} />
      </UiProvider>
    </EngineContext.Provider>
  );
}

function DashboardApp(props: DashboardProps) {
  const { engine, engineLabel } = props;
  const refreshMs = props.refreshMs ?? 1000;
  const clock = props.clock ?? realClock;
  const { theme, glyphs } = useUi();
  const { exit, suspendTerminal } = useApp();
  const { stdin } = useStdin();
  const { stdout } = useStdout();
  const { stderr } = useStderr();
  const win = useWindowSize();
  const columns = props.size?.columns ?? win.columns;
  const rows = props.size?.rows ?? win.rows;

  const [handoff, setHandoff] = useState(false);
  const { res, refresh } = useResources(engine);
  const hostSource = props.hostStats === undefined ? systemHostStats : (props.hostStats ?? undefined);
  const { stats, host } = useStats(engine, refreshMs, clock, !handoff, hostSource);
  const info = useEngineInfo(engine);
  const { panes, update } = usePaneState();
  const [pane, setPane] = useState<PaneId>('containers');
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [overlay, setOverlay] = useState<Overlay | undefined>();
  const [status, setStatus] = useState<Status | undefined>();
  const [filterEditing, setFilterEditing] = useState(false);

  // ---- the active pane's rows
  const perBucket = Math.max(1, Math.ceil(samplesPerMinute(refreshMs) / SPARK_WIDTH));
  const spark = useCallback(
    // Scale: 100 % = one core fully busy, the top of the line; more than a core clips.
    (s: Parameters<typeof sparkline>[0]) => sparkline(s, SPARK_WIDTH, perBucket, 100, glyphs.spark),
    [perBucket, glyphs],
  );
  // Uptimes are shown in whole minutes, so "now" advances only once a minute of stats ticks.
  const now = Date.now();
  const cctx: ContainerCtx = { stats: stats.byId, now, spark, arrows: { in: glyphs.arrowIn, out: glyphs.arrowOut } };
  const specs = {
    containers: containersSpec(() => cctx) as PaneSpec<unknown, unknown>,
    images: imagesSpec as PaneSpec<unknown, unknown>,
    networks: networksSpec as PaneSpec<unknown, unknown>,
    volumes: volumesSpec as PaneSpec<unknown, unknown>,
  };
  const ctxs: Record<PaneId, unknown> = { containers: cctx, images: { now, containers: res.containers }, networks: undefined, volumes: { containers: res.containers } };
  const lists: Record<PaneId, readonly unknown[]> = { containers: res.containers, images: res.images, networks: res.networks, volumes: res.volumes };
  const spec = specs[pane];
  const ps = panes[pane];
  const items = applyView(lists[pane], spec, ps.view, ctxs[pane]);
  const keys = items.map((i) => spec.key(i));
  const index = resolveIndex(ps, keys);
  const current = index >= 0 ? items[index] : undefined;

  const select = (i: number) => {
    const clamped = Math.max(0, Math.min(keys.length - 1, i));
    update(pane, (s) => ({ ...s, index: clamped, key: keys[clamped] }));
  };

  // ---- layout
  // No frame around the pane (htop/ctop style; the tab line separates): Ink tokenizes every
  // character on screen on every frame, box-drawing characters through the slow grapheme path,
  // and a border is ~200 of them. Dialogs keep theirs.
  const innerW = Math.max(10, columns);
  const innerH = Math.max(3, rows - 4);
  const oh = Math.min(overlayHeight(overlay), innerH - 2);
  const pageSize = Math.max(1, innerH - oh - 2);

  const io: ProcessIO = { stdin: stdin as ProcessIO['stdin'], stdout: stdout as ProcessIO['stdout'], stderr: stderr as ProcessIO['stderr'] };
  const deps = {
    engine,
    refresh,
    setStatus,
    openOverlay: setOverlay,
    networks: res.networks,
    openLogs: (c: ContainerSummary) => setMode({ kind: 'logs', id: c.id }),
    suspend: suspendTerminal as (cb: () => Promise<void>) => Promise<void>,
    io,
    setHandoff,
  };

  const paneScopes: Record<PaneId, Scope[]> = {
    containers: ['containers', 'list', 'global'],
    images: ['images', 'resources', 'list', 'global'],
    networks: ['networks', 'resources', 'list', 'global'],
    volumes: ['volumes', 'resources', 'list', 'global'],
  };

  const onListCommand = (cmd: Command | undefined) => {
    switch (cmd) {
      case 'quit':
        return exit();
      case 'help':
        return setMode({ kind: 'help', back: mode });
      case 'back':
        if (ps.view.filter) update(pane, (s) => ({ ...s, view: { ...s.view, filter: '' } }));
        return setStatus(undefined);
      case 'down':
        return select(index + 1);
      case 'up':
        return select(index - 1);
      case 'pageDown':
        return select(index + pageSize);
      case 'pageUp':
        return select(index - pageSize);
      case 'top':
        return select(0);
      case 'bottom':
        return select(keys.length - 1);
      case 'nextPane':
        return setPane(cyclePane(pane, 1));
      case 'prevPane':
        return setPane(cyclePane(pane, -1));
      case 'pane1':
      case 'pane2':
      case 'pane3':
      case 'pane4':
        return setPane(PANES[Number(cmd.slice(4)) - 1]!);
      case 'open':
        if (current) setMode({ kind: 'detail', pane, key: spec.key(current) });
        return;
      case 'filter':
        return setFilterEditing(true);
      case 'sort':
        return update(pane, (s) => ({ ...s, view: { ...s.view, sort: (s.view.sort + 1) % spec.sorts.length, desc: false } }));
      case 'sortReverse':
        return update(pane, (s) => ({ ...s, view: { ...s.view, desc: !s.view.desc } }));
      case undefined:
        return;
      default:
        if (pane === 'containers') {
          if (current) containerAction(cmd, current as ContainerSummary, deps);
          else if (cmd === 'prune') containerAction(cmd, { id: '', names: [], networks: [], state: 'exited' } as unknown as ContainerSummary, deps);
        } else resourceAction(cmd, pane, current as never, deps);
    }
  };

  const listActive = mode.kind === 'list' && !overlay && !filterEditing && !handoff;
  useCommands(paneScopes[pane], onListCommand, listActive);
  useCommands(
    ['input'],
    (cmd, text) => {
      if (cmd === 'confirm') return setFilterEditing(false);
      if (cmd === 'cancel') {
        update(pane, (s) => ({ ...s, view: { ...s.view, filter: '' } }));
        return setFilterEditing(false);
      }
      update(pane, (s) => ({ ...s, index: 0, key: undefined, view: { ...s.view, filter: editLine(s.view.filter, cmd, text) } }));
    },
    filterEditing && !overlay && !handoff,
  );

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <Text>{`berth needs at least ${MIN_COLUMNS}x${MIN_ROWS} (now ${columns}x${rows})`}</Text>;
  }

  // ---- header lines
  const counts: Record<PaneId, number> = { containers: res.containers.length, images: res.images.length, networks: res.networks.length, volumes: res.volumes.length };
  const header = headerText(
    {
      hostName: info?.name ?? '…',
      engineLabel,
      host,
      running: res.containers.filter((c) => c.state === 'running').length,
      containers: res.containers.length,
      images: res.images.length,
      networks: res.networks.length,
      volumes: res.volumes.length,
    },
    columns,
    theme,
    glyphs,
  );
  const detailItem = mode.kind === 'detail' ? lists[mode.pane].find((i) => specs[mode.pane].key(i) === mode.key) : undefined;
  const logsItem = mode.kind === 'logs' ? res.containers.find((c) => c.id === mode.id) : undefined;
  const rightNote =
    mode.kind === 'help' ? 'help' : mode.kind === 'detail' ? 'detail' : mode.kind === 'logs' ? 'logs' : pane === 'containers' ? 'CPU%: 100% = 1 core' : '';
  const tabs = tabsText(pane, counts, rightNote, columns, theme, glyphs);

  // ---- hint line
  const filterLine = `/${ps.view.filter}${glyphs.unicode ? '▏' : '_'}  ${theme.paint('muted', 'enter keep  esc clear')}`;
  const hintScopes: Scope[] =
    mode.kind === 'list' ? paneScopes[pane].filter((s) => s !== 'global') : mode.kind === 'logs' ? ['logs'] : mode.kind === 'detail' ? ['detail'] : [];
  const hint = filterEditing
    ? filterLine
    : hintText(hintScopes, columns, theme, [
        ...(ps.view.filter && mode.kind === 'list' ? [theme.paint('accent', `filter "${ps.view.filter}"`)] : []),
        `${theme.paint('key', '?')} help`,
        `${theme.paint('key', 'esc')} back`,
        `${theme.paint('key', 'q')} quit`,
      ]);

  // ---- main area
  const close = () => setMode({ kind: 'list' });
  let main;
  if (mode.kind === 'help') {
    main = <HelpScreen width={innerW} height={innerH} active={!handoff} onClose={() => setMode(mode.back)} onQuit={() => exit()} />;
  } else if (mode.kind === 'detail' && detailItem) {
    main = (
      <DetailScreen
        pane={mode.pane}
        item={detailItem as never}
        containers={res.containers}
        width={innerW}
        height={innerH}
        active={!overlay && !handoff}
        onBack={close}
        onQuit={() => exit()}
        onHelp={() => setMode({ kind: 'help', back: mode })}
        onLogs={(c) => setMode({ kind: 'logs', id: c.id })}
      />
    );
  } else if (mode.kind === 'logs' && logsItem) {
    main = (
      <LogsScreen
        container={logsItem}
        width={innerW}
        height={innerH}
        active={!overlay && !handoff}
        onBack={close}
        onQuit={() => exit()}
        onHelp={() => setMode({ kind: 'help', back: mode })}
      />
    );
  } else {
    const sort = spec.sorts[ps.view.sort % spec.sorts.length];
    main = (
      <Table
        columns={spec.columns}
        rows={items}
        cells={(i) => spec.cells(i, ctxs[pane])}
        selected={index}
        width={innerW}
        height={innerH - oh}
        sortColumn={sort?.column}
        sortDesc={ps.view.desc}
        empty={!res.loaded ? 'loading…' : ps.view.filter ? `no ${pane} match "${ps.view.filter}"` : `no ${pane}`}
      />
    );
  }
  // The item of a detail/logs view disappeared (removed elsewhere): fall back to the list.
  if ((mode.kind === 'detail' && !detailItem && res.loaded) || (mode.kind === 'logs' && !logsItem && res.loaded)) {
    queueMicrotask(close);
  }

  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Line text={header} />
      <Line text={tabs} />
      <Box flexDirection="column" width={columns} height={innerH}>
        {main}
        {overlay ? <OverlayView overlay={overlay} width={innerW} onClose={() => setOverlay(undefined)} /> : null}
      </Box>
      <StatusLine status={status ?? (res.error ? { kind: 'error', text: res.error } : undefined)} width={columns} />
      <Line text={hint} />
    </Box>
  );
}
