/**
 * Details of the selected item. Containers and images need an inspect (and logs / history);
 * networks and volumes show what the list already has. Reloads when the item changes (an event
 * refreshed the list), so the view stays current.
 */
import { useEffect, useState } from 'react';
import type { ContainerSummary, ImageSummary, LogLine, NetworkSummary, VolumeSummary } from '../engine/api.js';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { useUi } from '../ui/use-ui.js';
import { useEngine } from './engine-context.js';
import { containerDetailLines, imageDetailLines, networkDetailLines, volumeDetailLines } from './detail-lines.js';
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
}

const RECENT_LOG_LINES = 20;

export function DetailScreen(props: DetailScreenProps) {
  const engine = useEngine();
  const { theme } = useUi();
  const [lines, setLines] = useState<string[]>([theme.paint('muted', 'loading…')]);
  const [offset, setOffset] = useState(0);
  const { pane, item, containers } = props;

  useEffect(() => {
    let alive = true;
    const show = (l: string[]) => alive && setLines(l);
    const fail = (e: unknown) => show([theme.paint('error', `Error: ${(e as Error).message}`)]);
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
        show(containerDetailLines(inspect, logs, theme));
      })().catch(fail);
    } else if (pane === 'images') {
      const i = item as ImageSummary;
      Promise.all([engine.images.inspect(i.id), engine.images.history(i.id).catch(() => [])])
        .then(([inspect, history]) => show(imageDetailLines(inspect, history, theme)))
        .catch(fail);
    } else if (pane === 'networks') show(networkDetailLines(item as NetworkSummary, theme));
    else show(volumeDetailLines(item as VolumeSummary, containers, theme));
    return () => {
      alive = false;
    };
  }, [engine, pane, item, containers, theme]);

  useCommands(
    ['detail', 'global'],
    (cmd) => {
      if (cmd === 'back') return props.onBack();
      if (cmd === 'quit') return props.onQuit();
      if (cmd === 'help') return props.onHelp();
      if (cmd === 'logs' && pane === 'containers') return props.onLogs(item as ContainerSummary);
      const next = scrollBy(cmd, offset, lines.length, props.height);
      if (next !== undefined) setOffset(next);
    },
    props.active,
  );
  return <ScrollText lines={lines} offset={offset} height={props.height} width={props.width} />;
}
