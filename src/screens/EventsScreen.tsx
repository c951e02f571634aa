/**
 * `v`: the engine's events as they happen (create, start, die with its exit code, health,
 * network connect/disconnect, pull …), newest at the bottom and followed until scrolled up;
 * `/` filters as you type (Enter keeps, Esc clears).
 */
import { useMemo, useState } from 'react';
import { Box } from 'ink';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { editLine } from '../ui/line-edit.js';
import { useEvents } from './use-events.js';
import { eventLine, eventText } from './event-lines.js';
import { scrollBy } from './scroll.js';
import type { HostSource } from './use-resources.js';

export interface EventsScreenProps {
  sources: readonly HostSource[];
  since: number;
  nameOf: (id: string) => string | undefined;
  showHost: boolean;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onQuit: () => void;
  onHelp: () => void;
}

export function EventsScreen(props: EventsScreenProps) {
  const { theme, glyphs } = useUi();
  const { events, version, errors } = useEvents(props.sources, props.since);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState(false);
  const [follow, setFollow] = useState(true);
  const [offset, setOffset] = useState(0);
  const body = Math.max(1, props.height - 1);
  const { nameOf, showHost } = props;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` marks new events in the buffer
  const texts = useMemo(() => events.map((e) => eventText(e, nameOf, showHost)), [events, version, nameOf, showHost]);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const out: string[] = [];
    texts.forEach((t, i) => {
      if (!needle || t.toLowerCase().includes(needle)) out.push(eventLine(events[i]!, t, theme));
    });
    return out;
  }, [texts, filter, events, theme]);
  const bottom = Math.max(0, shown.length - body);
  const top = follow ? bottom : Math.min(offset, bottom);

  useCommands(
    ['list', 'global'],
    (cmd) => {
      if (cmd === 'back') return filter ? setFilter('') : props.onBack();
      if (cmd === 'quit') return props.onQuit();
      if (cmd === 'help') return props.onHelp();
      if (cmd === 'events') return props.onBack();
      if (cmd === 'filter') return setEditing(true);
      const next = scrollBy(cmd, top, shown.length, body);
      if (next === undefined) return;
      setOffset(next);
      setFollow(next >= bottom);
    },
    props.active && !editing,
  );
  useCommands(
    ['input'],
    (cmd, text) => {
      if (cmd === 'confirm') return setEditing(false);
      if (cmd === 'cancel') {
        setFilter('');
        return setEditing(false);
      }
      setFilter((f) => editLine(f, cmd, text));
    },
    props.active && editing,
  );

  const status = editing
    ? `/${filter}${glyphs.unicode ? '▏' : '_'}  enter keeps  esc clears`
    : `${shown.length}${filter ? ` of ${texts.length}` : ''} events${filter ? ` matching "${filter}"` : ''}  ${follow ? 'following' : 'G follows'}  / filter  esc back${errors.length ? `  ${errors.join('; ')}` : ''}`;
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      {shown.length ? (
        <ScrollText lines={shown} offset={top} height={body} width={props.width} />
      ) : (
        <Box height={body}>
          <Line text={theme.paint('muted', filter ? `no events match "${filter}"` : 'no events yet: they appear here as they happen')} />
        </Box>
      )}
      <Line text={theme.paint('accent', status)} />
    </Box>
  );
}
