/**
 * The dashboard: header, pane tabs, the active pane (or a detail / logs / help view) in a frame,
 * the status line and key hints. Owns navigation state; data comes from hooks over the Engine
 * (lists refreshed by events, stats by the sampler), actions from the *-actions tables.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useStderr, useStdin, useStdout, useWindowSize } from 'ink';
import type { ContainerSummary, Engine, ImageSummary, ProcessIO } from '../engine/api.js';
import type { Scope } from '../ui/bindings.js';
import { Table } from '../ui/Table.js';
import { Line } from '../ui/Line.js';
import { StatusLine, type Status } from '../ui/StatusLine.js';
import { UiProvider } from '../ui/ui-context.js';
import { useUi } from '../ui/use-ui.js';
import { detectCaps, type TerminalCaps } from '../ui/terminal-caps.js';
import { EngineContext } from './engine-context.js';
import type { PaneId } from './panes.js';
import { useResources } from './use-resources.js';
import { useStats, type Wanted } from './use-stats.js';
import { useHostSelection } from './use-host-selection.js';
import { ALL_HOSTS, singleHost, type DashboardHosts } from './hosts.js';
import { hostOptions, hostsSummary } from './host-picker.js';
import { statsWindow } from './stats-window.js';
import { useEngineInfo } from './use-engine-info.js';
import { systemHostStats, type HostStatsSource } from './host-stats.js';
import { realClock, type Clock } from './clock.js';
import { usePaneState } from './use-pane-state.js';
import { usePaneModel } from './use-pane-model.js';
import { statsRelevance } from './stats-relevance.js';
import { useListKeys, PANE_SCOPES } from './use-list-keys.js';
import { headerText, tabsText } from './header-text.js';
import { hintText } from './hint-text.js';
import type { Overlay } from './overlay.js';
import { overlayHeight } from './overlay.js';
import { OverlayView } from './OverlayView.js';
import { DetailScreen } from './DetailScreen.js';
import { LogsScreen } from './LogsScreen.js';
import { HelpScreen } from './HelpScreen.js';
import { EventsScreen } from './EventsScreen.js';
import type { ContainerActionDeps } from './container-actions.js';
import { completeCommandLine, parseCommandLine } from './command-line.js';
import { runParsed } from './run-command-line.js';
import { useCommandLine } from './use-command-line.js';
import { useMarks } from './use-marks.js';
import type { Grouping } from './use-pane-model.js';
import { groupKey, isHeading, type ProjectHeading } from './project-groups.js';
import { headingCommand } from './project-actions.js';
import { markedStatus } from './mark-status.js';
import { rowKey } from './hosts.js';
import { useViewsBKeys, type FilesTarget } from './views-b-keys.js';
import { ImagePullScreen } from './image-pull-screen.js';
import { RunFormScreen } from './run-form-screen.js';
import { FilesScreen } from './files-screen.js';
import type { FileSource } from './files-source.js';
import { existsSync } from 'node:fs';
import { containerName, projectOf, statsOf, type ContainerCtx, type ContainerRow } from './containers-view.js';
import { nameList } from './bulk-actions.js';
import { cliLine, withCli, type CliAction } from './action-command.js';
import { samplesPerMinute, type ContainerStats } from './stats-history.js';

export interface DashboardProps {
  /** One engine (berth on one host; tests) … */
  engine?: Engine;
  engineLabel?: string;
  /** … or several hosts, with the host switcher (H) and the all-hosts view (A). */
  hosts?: DashboardHosts;
  /** The host to open on, or ALL_HOSTS; default: the first host. */
  initialHost?: string;
  /** Stats period; lists refresh on events, not on this. */
  refreshMs?: number;
  /** Defaults to detection from the environment (NO_COLOR, locale). */
  caps?: TerminalCaps;
  /** This machine's CPU/memory for the header (shown only for a host on this machine); null disables. */
  hostStats?: HostStatsSource | null;
  clock?: Clock;
  /** Overrides the terminal size (tests; ink-testing-library's stdout has no rows). */
  size?: { columns: number; rows: number };
}

type Mode =
  | { kind: 'list' }
  | { kind: 'detail'; pane: PaneId; key: string; tab?: string }
  // dash-b: `keys` (more than one) = merged logs, titled `title`
  | { kind: 'logs'; key: string; keys?: readonly string[]; title?: string }
  | { kind: 'help'; back: Mode }
  // dash-b: image pull, run form, file browser
  | { kind: 'pull'; host: string | undefined }
  | { kind: 'run'; key: string }
  | { kind: 'files'; target: FilesTarget }
  | { kind: 'events' };

const MIN_COLUMNS = 40;
const MIN_ROWS = 10;

export function Dashboard(props: DashboardProps) {
  const caps = useMemo(() => props.caps ?? detectCaps(), [props.caps]);
  const { engine, engineLabel } = props;
  const hosts = useMemo(() => props.hosts ?? singleHost(engine!, engineLabel ?? 'embedded'), [props.hosts, engine, engineLabel]);
  return (
    <UiProvider caps={caps}>
      <DashboardApp {...props} hosts={hosts} />
    </UiProvider>
  );
}

function DashboardApp(props: DashboardProps & { hosts: DashboardHosts }) {
  const { hosts } = props;
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

  const [handoff, setHandoffState] = useState(false);
  const handoffRef = useRef(false);
  const setHandoff = useCallback((on: boolean) => {
    handoffRef.current = on;
    setHandoffState(on);
  }, []);
  // ---- hosts: which is on screen (or all), their states, their engines
  const { selected, all, statuses, selectedState, sources, liveNames, engine, engines, engineFor, switchTo, toggleAll } = useHostSelection(
    hosts,
    props.initialHost,
  );
  const report = useCallback((host: string, err: string) => hosts.report(host, err), [hosts]);

  const { res, refresh } = useResources(sources, report);
  // This machine's figures only for a host that is this machine; a remote daemon gets its own.
  const localFigures = !!selectedState?.local;
  const hostSource = !localFigures ? undefined : props.hostStats === undefined ? systemHostStats : (props.hostStats ?? undefined);
  const wanted = useRef<Wanted>(undefined);
  const { live, relevance, readsAll } = useStats(sources, refreshMs, clock, !handoff, hostSource, handoffRef, wanted);
  const { stats } = live;
  const host = localFigures ? live.host : undefined;
  const info = useEngineInfo(engine, selectedState?.state);
  const { panes, update } = usePaneState();
  const [pane, setPane] = useState<PaneId>('containers');
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [overlay, setOverlay] = useState<Overlay | undefined>();
  const [status, setStatus] = useState<Status | undefined>();
  const [filterEditing, setFilterEditing] = useState(false);
  // The events view replays from here: what happened since the dashboard opened.
  const [openedAt] = useState(() => Date.now());

  const ps = panes[pane];
  const containerKeys = useMemo(() => res.containers.map((c) => rowKey(c.host, c.id)), [res.containers]);
  const marks = useMarks(containerKeys);
  const nameOf = useCallback((id: string) => res.containers.find((c) => c.id === id)?.names[0], [res.containers]);
  // Grouped by compose project (z, :group): kept for the session, as are the folded projects.
  const [grouping, setGrouping] = useState<Grouping>({ on: false, collapsed: new Set() });
  const toggleGroups = () => {
    setGrouping((g) => ({ ...g, on: !g.on }));
    const none = !res.containers.some((c) => projectOf(c));
    setStatus({
      kind: 'info',
      text: grouping.on
        ? 'One list (z groups by compose project)'
        : none
          ? 'Grouped by compose project: no container here has a com.docker.compose.project label (z ungroups)'
          : 'Grouped by compose project: enter on a project folds it, z ungroups',
    });
  };
  const model = usePaneModel(res, stats, pane, ps, glyphs, refreshMs, all, marks.marked, grouping);
  const { specs, ctxs, lists, items, index } = model;
  const spec = specs[pane];
  relevance.current = statsRelevance(pane === 'containers' && mode.kind === 'list', model, ps, Math.max(3, rows - 4));
  // dash-b: the detail view's graphs tab draws every pass
  if (mode.kind === 'detail' && mode.tab === 'graphs') relevance.current = () => true;
  // Stats only for rows that can be on screen; kept as they were while another pane is up.
  if (pane === 'containers' && mode.kind === 'list') wanted.current = statsWindow(model, ps, Math.max(3, rows - 4), liveNames, res.loadedHosts, res.containers);

  const afterSwitch = (shown: boolean, name: string) => {
    if (!shown) return;
    setMode({ kind: 'list' });
    setStatus({ kind: 'info', text: name === ALL_HOSTS ? 'All hosts' : `Host ${name}` });
  };
  const pickHost = (name: string) => afterSwitch(switchTo(name), name);
  const openHosts = () => {
    const dots = glyphs.unicode ? { up: '●', down: '○' } : { up: '+', down: '-' };
    const options = hostOptions(statuses, dots);
    setOverlay({
      kind: 'picker',
      title: 'Switch host',
      options,
      initial: Math.max(
        0,
        options.findIndex((o) => o.value === selected),
      ),
      onPick: pickHost,
    });
  };
  const toggleAllHosts = () => afterSwitch(true, toggleAll());
  const where = (h: string | undefined) => (all && h ? ` on ${h}` : '');

  // ---- layout
  // No frame around the pane (htop/ctop style; the tab line separates): Ink tokenizes every
  // character on screen on every frame, box-drawing characters through the slow grapheme path,
  // and a border is ~200 of them. Dialogs keep theirs.
  const innerW = Math.max(10, columns);
  const innerH = Math.max(3, rows - 4);
  const oh = Math.min(overlayHeight(overlay), innerH - 2);

  const io: ProcessIO = { stdin: stdin as ProcessIO['stdin'], stdout: stdout as ProcessIO['stdout'], stderr: stderr as ProcessIO['stderr'] };
  const actions: ContainerActionDeps = {
    engineFor,
    where,
    refresh,
    hostOf: (h: string | undefined) => statuses.find((x) => x.name === (h ?? selected)),
    setStatus,
    openOverlay: setOverlay,
    networks: res.networks,
    openLogs: (c: ContainerSummary) => setMode({ kind: 'logs', key: specs.containers.key(c) }),
    suspend: suspendTerminal as (cb: () => Promise<void>) => Promise<void>,
    io,
    setHandoff,
  };
  // The berth command line of an action on `host` (-H / --context for hosts other than the embedded one).
  const cliFor = (h: string | undefined) => (a: CliAction) => cliLine(a, actions.hostOf?.(h));
  // ---- logs of several containers: merged in time order (a compose project, marked rows, :logs a b)
  const openMergedLogs = (keys: readonly string[], title?: string) => {
    if (keys[0] !== undefined) setMode({ kind: 'logs', key: keys[0], keys, ...(title ? { title } : {}) });
  };
  const openLogsOf = (rows: readonly ContainerRow[]) => {
    // One logs view reads through one engine: containers of several hosts cannot be merged.
    const on = [...new Set(rows.map((r) => r.host ?? selected))];
    if (on.length > 1) return setStatus({ kind: 'error', text: `merged logs take containers of one host (these are on ${on.join(', ')})` });
    if (rows.length === 1) return setMode({ kind: 'logs', key: specs.containers.key(rows[0]!) });
    openMergedLogs(
      rows.map((r) => specs.containers.key(r)),
      nameList(rows.map(containerName), 3),
    );
  };
  // ---- the : command line
  const runLine = (text: string) => {
    const err = runParsed(parseCommandLine(text), {
      setPane: (p) => {
        setPane(p);
        setMode({ kind: 'list' });
      },
      openEvents: () => setMode({ kind: 'events' }),
      toggleGroups: () => {
        setPane('containers');
        setMode({ kind: 'list' });
        toggleGroups();
      },
      openHelp: () => setMode({ kind: 'help', back: mode }),
      quit: () => exit(),
      containers: res.containers,
      // A project heading is not a container: `:stop` there asks for names.
      current: pane === 'containers' && !isHeading(model.current) ? (model.current as ContainerRow | undefined) : undefined,
      keyOf: (c) => specs.containers.key(c),
      marks,
      openLogs: openLogsOf,
      actions,
    });
    if (err) setStatus({ kind: 'error', text: err });
  };
  const prompt = useCommandLine(
    runLine,
    (t) =>
      completeCommandLine(
        t,
        res.containers.flatMap((c) => c.names),
        res.images.flatMap((i) => i.repoTags),
      ),
    mode.kind === 'list' && !overlay && !handoff,
  );
  useListKeys({
    pane,
    ps,
    model,
    pageSize: Math.max(1, innerH - oh - 2),
    listActive: mode.kind === 'list' && !overlay && !filterEditing && !handoff && !prompt.editing,
    filterEditing: filterEditing && !overlay && !handoff,
    setFilterEditing,
    setPane,
    update,
    quit: () => exit(),
    openHelp: () => setMode({ kind: 'help', back: mode }),
    openDetail: (p, key) => setMode({ kind: 'detail', pane: p, key }),
    clearStatus: () => setStatus(undefined),
    openHosts,
    toggleAllHosts,
    marks,
    containers: res.containers,
    openMarkedLogs: openLogsOf,
    toggleGroups,
    onHeading: (cmd, h) =>
      headingCommand(cmd, h, {
        actions,
        setStatus,
        openProjectLogs: (p: ProjectHeading) =>
          openMergedLogs(
            p.members.map((c) => specs.containers.key(c)),
            `project ${p.project}`,
          ),
        toggleCollapsed: (p: ProjectHeading) =>
          setGrouping((g) => {
            const k = groupKey(p.project, p.host);
            const collapsed = new Set(g.collapsed);
            if (collapsed.has(k)) collapsed.delete(k);
            else collapsed.add(k);
            return { ...g, collapsed };
          }),
        markAll: (p: ProjectHeading) => marks.toggleAll(p.members.map((c) => specs.containers.key(c))),
      }),
    extra: (cmd) => {
      if (cmd === 'commandLine') prompt.open();
      else if (cmd === 'events') setMode({ kind: 'events' });
      else return false;
      return true;
    },
    actions,
  });

  // dash-b: files, image views
  useViewsBKeys({
    pane,
    current: model.current,
    active: mode.kind === 'list' && !overlay && !filterEditing && !handoff && !prompt.editing,
    containers: res.containers,
    engineFor,
    setStatus,
    refresh,
    hostOf: actions.hostOf,
    openOverlay: setOverlay,
    containerKey: (c) => specs.containers.key(c),
    openMergedLogs,
    openDetailTab: (p, item, tab) => setMode({ kind: 'detail', pane: p, key: specs[p].key(item as never), tab }),
    openFiles: (target) => {
      // A volume's files are read at its mountpoint, which must be on this machine.
      const hostLocal = target.host === undefined ? !!selectedState?.local : !!statuses.find((h) => h.name === target.host)?.local;
      if (target.kind === 'volume' && !(hostLocal && existsSync(target.mountpoint))) {
        setStatus({
          kind: 'error',
          text: `volume ${target.name}: its mountpoint ${target.mountpoint} is not on this machine; browse it from a container that mounts it (F on the container)`,
        });
      } else setMode({ kind: 'files', target });
    },
    openPull: (host) => setMode({ kind: 'pull', host }),
    openRun: (img) => setMode({ kind: 'run', key: specs.images.key(img) }),
  });

  const detailItem = mode.kind === 'detail' ? lists[mode.pane].find((i) => specs[mode.pane].key(i) === mode.key) : undefined;
  const logsItem = mode.kind === 'logs' ? res.containers.find((c) => specs.containers.key(c) === mode.key) : undefined;
  // dash-b: merged logs show the containers of `keys` still listed (at least the first)
  const logsItems = mode.kind === 'logs' && mode.keys ? res.containers.filter((c) => mode.keys!.includes(specs.containers.key(c))) : logsItem ? [logsItem] : [];
  const runImage =
    mode.kind === 'run' ? (res.images.find((i) => specs.images.key(i) === mode.key) as (ImageSummary & { host?: string }) | undefined) : undefined;
  // dash-b: the file browser's source: a container through its engine, a volume's mountpoint
  // when it is on this machine (the embedded engine, a local daemon run as root).
  const filesTarget = mode.kind === 'files' ? mode.target : undefined;
  const filesEngine = filesTarget ? engineFor(filesTarget.host) : undefined;
  // Loaded on first use: the archive code it brings is not needed to draw the lists.
  const [filesSource, setFilesSource] = useState<FileSource | undefined>();
  useEffect(() => {
    setFilesSource(undefined);
    if (!filesTarget || !filesEngine) return;
    let alive = true;
    void import('./files-source.js').then((m) => {
      if (!alive) return;
      setFilesSource(
        filesTarget.kind === 'container'
          ? m.containerSource(filesEngine, filesTarget.id, filesTarget.name)
          : m.volumeSource(filesEngine, filesTarget.name, filesTarget.mountpoint),
      );
    });
    return () => {
      alive = false;
    };
  }, [filesTarget, filesEngine]);
  const itemHost = (detailItem as { host?: string } | undefined)?.host ?? logsItem?.host;
  const itemEngine = itemHost === undefined ? undefined : engines.get(itemHost);
  // The item of a detail/logs view disappeared (removed elsewhere): fall back to the list.
  const orphaned = res.loaded && ((mode.kind === 'detail' && !detailItem) || (mode.kind === 'logs' && !logsItem));
  useEffect(() => {
    if (orphaned) setMode({ kind: 'list' });
  }, [orphaned]);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <Text>{`berth needs at least ${MIN_COLUMNS}x${MIN_ROWS} (now ${columns}x${rows})`}</Text>;
  }

  // ---- header lines
  const counts: Record<PaneId, number> = {
    containers: res.containers.length,
    images: res.images.length,
    networks: res.networks.length,
    volumes: res.volumes.length,
  };
  const several = statuses.length > 1;
  const up = statuses.filter((h) => h.state === 'up').length;
  const header = headerText(
    {
      hostName: all ? 'all hosts' : (info?.name ?? '…'),
      engineLabel: all ? `${up}/${statuses.length} up` : several ? `[${selected}] ${selectedState?.label ?? ''}` : (selectedState?.label ?? ''),
      host,
      figures: !all,
      ...(!all && !localFigures && info ? { daemon: { ncpu: info.ncpu, memTotal: info.memTotal } } : {}),
      ...(selectedState?.state === 'down' ? { disconnected: selectedState.error ?? '' } : {}),
      ...(several && !all ? { hosts: hostsSummary(statuses) } : all && up < statuses.length ? { hosts: hostsSummary(statuses) } : {}),
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
  const rightNote =
    mode.kind === 'events'
      ? 'events'
      : mode.kind === 'help'
        ? 'help'
        : mode.kind === 'detail'
          ? 'detail'
          : mode.kind === 'logs'
            ? 'logs'
            : pane === 'containers'
              ? 'CPU%: 100% = 1 core'
              : '';
  const tabs = tabsText(pane, counts, rightNote, columns, theme, glyphs);

  // ---- hint line
  const filterLine = `/${ps.view.filter}${glyphs.unicode ? '▏' : '_'}  ${theme.paint('muted', 'enter keep  esc clear')}`;
  const hintScopes: Scope[] =
    mode.kind === 'list'
      ? PANE_SCOPES[pane].filter((s) => s !== 'global')
      : mode.kind === 'logs'
        ? ['logs']
        : mode.kind === 'detail' && (mode.pane === 'containers' || mode.pane === 'images')
          ? ['detail']
          : [];
  const promptLine = `:${prompt.text}${glyphs.unicode ? '▏' : '_'}  ${theme.paint('muted', prompt.options.length ? prompt.options.join(' ') : 'tab completes  up/down history  enter runs  esc closes')}`;
  const hint = prompt.editing
    ? promptLine
    : filterEditing
      ? filterLine
      : hintText(hintScopes, columns, theme, [
          ...(ps.view.filter && mode.kind === 'list' ? [theme.paint('accent', `filter "${ps.view.filter}"`)] : []),
          `${theme.paint('key', '?')} help`,
          `${theme.paint('key', 'esc')} back`,
          `${theme.paint('key', 'q')} quit`,
        ]);

  // ---- main area
  // Stats entries are updated in place (stats-history): the detail view's graphs see a new pass
  // as a new object.
  const detailStats = (st: ContainerStats | undefined) => (st ? { ...st } : undefined);
  const close = () => setMode({ kind: 'list' });
  let main;
  if (mode.kind === 'help') {
    main = <HelpScreen width={innerW} height={innerH} active={!handoff} onClose={() => setMode(mode.back)} onQuit={() => exit()} />;
  } else if (mode.kind === 'events') {
    main = (
      <EventsScreen
        sources={sources}
        since={openedAt}
        nameOf={nameOf}
        showHost={all}
        width={innerW}
        height={innerH}
        active={!overlay && !handoff}
        onBack={close}
        onQuit={() => exit()}
        onHelp={() => setMode({ kind: 'help', back: mode })}
      />
    );
  } else if (mode.kind === 'detail' && detailItem && itemEngine) {
    main = (
      <EngineContext.Provider value={itemEngine}>
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
          onLogs={(c) => setMode({ kind: 'logs', key: specs.containers.key(c) })}
          tab={mode.tab}
          onTab={(tab) => setMode({ ...mode, tab })}
          stats={mode.pane === 'containers' ? detailStats(statsOf(detailItem as ContainerSummary, model.ctxs.containers as ContainerCtx)) : undefined}
          perMinute={samplesPerMinute(refreshMs)}
          sampledOnScreen={mode.pane === 'containers' && readsAll((detailItem as ContainerRow).host ?? selected) === false}
        />
      </EngineContext.Provider>
    );
  } else if (mode.kind === 'logs' && logsItem && itemEngine) {
    main = (
      <EngineContext.Provider value={itemEngine}>
        <LogsScreen
          containers={logsItems}
          title={mode.title}
          cliFor={cliFor(logsItem.host)}
          width={innerW}
          height={innerH}
          active={!overlay && !handoff}
          onBack={close}
          onQuit={() => exit()}
          onHelp={() => setMode({ kind: 'help', back: mode })}
        />
      </EngineContext.Provider>
    );
  } else if (mode.kind === 'files' && filesSource) {
    main = (
      <FilesScreen
        source={filesSource}
        {...(filesTarget?.kind === 'container' ? { cli: { name: filesTarget.name, line: cliFor(filesTarget.host) } } : {})}
        width={innerW}
        height={innerH}
        active={!overlay && !handoff}
        onBack={close}
        onQuit={() => exit()}
        onHelp={() => setMode({ kind: 'help', back: mode })}
      />
    );
  } else if (mode.kind === 'pull' && engineFor(mode.host)) {
    const host = mode.host;
    main = (
      <ImagePullScreen
        engine={engineFor(host)!}
        cliFor={cliFor(host)}
        width={innerW}
        height={innerH}
        active={!overlay && !handoff}
        onBack={close}
        onQuit={() => exit()}
        onDone={(st) => {
          setStatus(st);
          void refresh(['images'], host);
        }}
      />
    );
  } else if (mode.kind === 'run' && runImage && engineFor(runImage.host)) {
    const img = runImage;
    const runEngine = engineFor(img.host)!;
    main = (
      <RunFormScreen
        image={img.repoTags[0] ?? img.id.replace(/^sha256:/, '').slice(0, 12)}
        width={innerW}
        height={innerH}
        active={!overlay && !handoff}
        cliFor={cliFor(img.host)}
        onCancel={close}
        onRun={async (opts, line) => {
          let id: string | undefined;
          try {
            id = (await runEngine.containers.create(opts)).id;
            await runEngine.containers.start(id);
          } catch (e) {
            void refresh(['containers'], img.host);
            return id ? `created ${id.slice(0, 12)} but it did not start: ${(e as Error).message}` : (e as Error).message;
          }
          setStatus({ kind: 'ok', text: withCli(`Started ${opts.name ?? id.slice(0, 12)}`, line) });
          await refresh(['containers'], img.host);
          setPane('containers');
          close();
          return undefined;
        }}
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
        empty={
          selectedState?.state === 'down'
            ? `${selected} is disconnected; reconnecting by itself (H to pick another host)`
            : !res.loaded
              ? 'loading…'
              : ps.view.filter
                ? `no ${pane} match "${ps.view.filter}"`
                : `no ${pane}`
        }
      />
    );
  }

  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Line text={header} />
      <Line text={tabs} />
      <Box flexDirection="column" width={columns} height={innerH}>
        {main}
        {overlay ? <OverlayView overlay={overlay} width={innerW} onClose={() => setOverlay(undefined)} /> : null}
      </Box>
      <StatusLine status={markedStatus(status ?? (res.error ? { kind: 'error', text: res.error } : undefined), marks.marked.size)} width={columns} />
      <Line text={hint} />
    </Box>
  );
}
