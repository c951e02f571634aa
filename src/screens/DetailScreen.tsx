/**
 * Details of the selected item. Containers have tabs (overview, processes refreshed every few
 * seconds, environment, mounts, ports, networks, raw inspect JSON, CPU/memory graphs); images
 * have overview, history and inspect; networks and volumes show what the list already has.
 * Tab/←/→ or digits switch tabs; `/` searches the tab's text (n/N jump). Reloads when the item
 * changes (an event refreshed the list), so the view stays current.
 */
import { useEffect, useMemo, useState } from 'react';
import { Box } from 'ink';
import type {
  ContainerSummary,
  DockerContainerInspect,
  DockerImageInspect,
  ImageHistoryEntry,
  ImageSummary,
  LogLine,
  NetworkSummary,
  TopResult,
  VolumeSummary,
} from '../engine/api.js';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { editLine } from '../ui/line-edit.js';
import { stripAnsi } from '../ui/text.js';
import { useEngine } from './engine-context.js';
import { containerDetailLines, imageDetailLines, networkDetailLines, volumeDetailLines } from './detail-lines.js';
import {
  CONTAINER_TABS,
  IMAGE_TABS,
  envLines,
  graphLines,
  historyLines,
  inspectLines,
  mountLines,
  networkLines,
  portLines,
  tabBar,
  topLines,
  type TabSpec,
} from './detail-tabs.js';
import { graphHistory } from './detail-graphs.js';
import { highlight, matchingLines, nextMatch } from './log-search.js';
import type { ContainerStats } from './stats-history.js';
import { scrollBy } from './scroll.js';
import type { PaneId } from './panes.js';

export interface DetailScreenProps {
  pane: PaneId;
  item: ContainerSummary | ImageSummary | NetworkSummary | VolumeSummary;
  containers: readonly ContainerSummary[];
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onQuit: () => void;
  onHelp: () => void;
  onLogs: (c: ContainerSummary) => void;
  /** The tab to open on (by id) and where a switch is reported (the dashboard keeps it). */
  tab?: string;
  onTab?: (tab: string) => void;
  /** The container's live stats from the dashboard's passes (graphs tab). */
  stats?: ContainerStats;
  /** Stats passes per minute (graphs' time axis). */
  perMinute?: number;
  /** The host samples only the rows on screen (a daemon): the graphs start when the row was first shown. */
  sampledOnScreen?: boolean;
  /** How often the processes tab runs `top` again. */
  topRefreshMs?: number;
}

const RECENT_LOG_LINES = 20;

interface Loaded {
  overview: string[];
  inspect?: DockerContainerInspect | DockerImageInspect;
  history?: ImageHistoryEntry[];
}

export function DetailScreen(props: DetailScreenProps) {
  const engine = useEngine();
  const { theme, glyphs } = useUi();
  const [loaded, setLoaded] = useState<Loaded>({ overview: [theme.paint('muted', 'loading…')] });
  const [offset, setOffset] = useState(0);
  const [query, setQuery] = useState('');
  const [draft, setDraft] = useState<string | undefined>();
  const [top, setTop] = useState<TopResult | { error: string } | undefined>();
  const { pane, item, containers } = props;
  const tabs: readonly TabSpec[] = pane === 'containers' ? CONTAINER_TABS : pane === 'images' ? IMAGE_TABS : [];
  const [tabIndex, setTabIndex] = useState(() =>
    Math.max(
      0,
      tabs.findIndex((t) => t.id === props.tab),
    ),
  );
  const tab = tabs[tabIndex]?.id ?? 'overview';

  useEffect(() => {
    let alive = true;
    const show = (l: Loaded) => alive && setLoaded(l);
    const fail = (e: unknown) => show({ overview: [theme.paint('error', `Error: ${(e as Error).message}`)] });
    if (pane === 'containers') {
      const c = item as ContainerSummary;
      void (async () => {
        const inspect = await engine.containers.inspect(c.id);
        const logs: LogLine[] = [];
        try {
          for await (const l of engine.containers.logs(c.id, { tail: RECENT_LOG_LINES })) logs.push(l);
        } catch {
          // A container without logs yet still has details worth showing.
        }
        show({ overview: containerDetailLines(inspect, logs, theme), inspect });
      })().catch(fail);
    } else if (pane === 'images') {
      const i = item as ImageSummary;
      Promise.all([engine.images.inspect(i.id), engine.images.history(i.id).catch(() => [])])
        .then(([inspect, history]) => show({ overview: imageDetailLines(inspect, history, theme), inspect, history }))
        .catch(fail);
    } else if (pane === 'networks') show({ overview: networkDetailLines(item as NetworkSummary, theme) });
    else show({ overview: volumeDetailLines(item as VolumeSummary, containers, theme) });
    return () => {
      alive = false;
    };
  }, [engine, pane, item, containers, theme]);

  // `top` only while the processes tab is on screen, again every few seconds.
  const cid = pane === 'containers' ? (item as ContainerSummary).id : undefined;
  useEffect(() => {
    if (tab !== 'processes' || !cid) return;
    let alive = true;
    const load = () =>
      engine.containers.top(cid).then(
        (t) => alive && setTop(t),
        (e: Error) => alive && setTop({ error: e.message }),
      );
    void load();
    const timer = setInterval(() => void load(), props.topRefreshMs ?? 3000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [engine, tab, cid, props.topRefreshMs]);

  const body = useMemo((): string[] => {
    const ci = loaded.inspect as DockerContainerInspect | undefined;
    switch (tab) {
      case 'processes':
        return !top ? [theme.paint('muted', 'loading…')] : 'error' in top ? [theme.paint('error', `Error: ${top.error}`)] : topLines(top, theme);
      case 'env':
        return ci ? envLines(ci, theme) : loaded.overview;
      case 'mounts':
        return ci ? mountLines(ci, theme) : loaded.overview;
      case 'ports':
        return ci ? portLines(ci, theme) : loaded.overview;
      case 'networks':
        return ci ? networkLines(ci, theme) : loaded.overview;
      case 'inspect':
        return loaded.inspect ? inspectLines(loaded.inspect) : loaded.overview;
      case 'history':
        return loaded.history ? historyLines(loaded.history, Date.now(), props.width, theme) : loaded.overview;
      case 'graphs':
        return graphLines(
          graphHistory(pane === 'containers' ? props.stats : undefined),
          props.width,
          props.perMinute ?? 60,
          theme,
          glyphs,
          !!props.sampledOnScreen,
        );
      default:
        return loaded.overview;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the ring is filled in place; a new stats object marks a new pass
  }, [tab, loaded, top, theme, glyphs, props.width, props.perMinute, props.stats, props.sampledOnScreen, pane]);
  const plain = useMemo(() => body.map(stripAnsi), [body]);
  const matches = useMemo(() => matchingLines(plain, query), [plain, query]);
  const lines = query ? body.map((l, i) => (matches.includes(i) ? highlight(plain[i]!, query, theme) : l)) : body;
  const chrome = (tabs.length ? 1 : 0) + (query || draft !== undefined ? 1 : 0);
  const textHeight = Math.max(1, props.height - chrome);

  const switchTab = (i: number) => {
    if (!tabs.length) return;
    const n = ((i % tabs.length) + tabs.length) % tabs.length;
    setTabIndex(n);
    setOffset(0);
    props.onTab?.(tabs[n]!.id);
  };
  const jump = (line: number | undefined) => {
    if (line !== undefined) setOffset(Math.max(0, Math.min(Math.max(0, lines.length - textHeight), line - Math.floor(textHeight / 2))));
  };

  useCommands(
    ['input'],
    (cmd, text) => {
      if (cmd === 'cancel') return setDraft(undefined);
      if (cmd === 'confirm') {
        const q = draft ?? '';
        setQuery(q);
        setDraft(undefined);
        return jump(nextMatch(matchingLines(plain, q), offset - 1, 1));
      }
      setDraft((d) => editLine(d ?? '', cmd, text));
    },
    props.active && draft !== undefined,
  );
  useCommands(
    ['detail', 'global'],
    (cmd) => {
      if (cmd === 'back') return query ? setQuery('') : props.onBack();
      if (cmd === 'quit') return props.onQuit();
      if (cmd === 'help') return props.onHelp();
      if (cmd === 'logs' && pane === 'containers') return props.onLogs(item as ContainerSummary);
      if (cmd === 'nextTab') return switchTab(tabIndex + 1);
      if (cmd === 'prevTab') return switchTab(tabIndex - 1);
      if (cmd && /^tab\d$/.test(cmd)) {
        const n = Number(cmd.slice(3)) - 1;
        if (n < tabs.length) switchTab(n);
        return;
      }
      if (cmd === 'search') return setDraft('');
      if (cmd === 'nextMatch') return jump(nextMatch(matches, offset + Math.floor(textHeight / 2), 1));
      if (cmd === 'prevMatch') return jump(nextMatch(matches, offset + Math.floor(textHeight / 2), -1));
      const next = scrollBy(cmd, offset, lines.length, textHeight);
      if (next !== undefined) setOffset(next);
    },
    props.active && draft === undefined,
  );
  const searchLine =
    draft !== undefined
      ? theme.paint('accent', `/${draft}${glyphs.unicode ? '▏' : '_'}`)
      : query
        ? theme.paint('muted', `"${query}": ${matches.length} matches  n/N jump  esc clear`)
        : undefined;
  return (
    <Box flexDirection="column" height={props.height} width={props.width}>
      {tabs.length ? <Line text={tabBar(tabs, tabIndex, props.width, theme, glyphs.ellipsis)} /> : null}
      {searchLine !== undefined ? <Line text={searchLine} /> : null}
      <ScrollText lines={lines} offset={Math.min(offset, Math.max(0, lines.length - textHeight))} height={textHeight} width={props.width} />
    </Box>
  );
}
