/** A container's logs: follows by default (f toggles), `/` searches, n/N jump between matches. */
import { useMemo, useState } from 'react';
import { Box } from 'ink';
import type { ContainerSummary } from '../engine/api.js';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { editLine } from '../ui/line-edit.js';
import { fit } from '../ui/text.js';
import { useEngine } from './engine-context.js';
import { useLogFollow } from './use-log-follow.js';
import { highlight, matchingLines, nextMatch } from './log-search.js';
import { scrollBy } from './scroll.js';
import { containerName } from './containers-view.js';

export interface LogsScreenProps {
  container: ContainerSummary;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onQuit: () => void;
  onHelp: () => void;
}

export function LogsScreen(props: LogsScreenProps) {
  const engine = useEngine();
  const { theme, glyphs } = useUi();
  const { lines, version, error } = useLogFollow(engine, props.container.id);
  const [follow, setFollow] = useState(true);
  const [offset, setOffset] = useState(0);
  const [query, setQuery] = useState('');
  const [draft, setDraft] = useState<string | undefined>();
  const textHeight = Math.max(1, props.height - 1);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` marks new lines in the buffer
  const texts = useMemo(() => lines.map((l) => l.text), [lines, version]);
  const matches = useMemo(() => matchingLines(texts, query), [texts, query]);
  const bottom = Math.max(0, texts.length - textHeight);
  const top = follow ? bottom : Math.min(offset, bottom);

  const jump = (line: number | undefined) => {
    if (line === undefined) return;
    setFollow(false);
    setOffset(Math.max(0, Math.min(bottom, line - Math.floor(textHeight / 2))));
  };

  useCommands(
    ['input'],
    (cmd, text) => {
      if (cmd === 'cancel') return setDraft(undefined);
      if (cmd === 'confirm') {
        const q = draft ?? '';
        setQuery(q);
        setDraft(undefined);
        return jump(nextMatch(matchingLines(texts, q), top - 1, 1));
      }
      setDraft((d) => editLine(d ?? '', cmd, text));
    },
    props.active && draft !== undefined,
  );
  useCommands(
    ['logs', 'global'],
    (cmd) => {
      if (cmd === 'back') return query ? setQuery('') : props.onBack();
      if (cmd === 'quit') return props.onQuit();
      if (cmd === 'help') return props.onHelp();
      if (cmd === 'follow') return setFollow((f) => !f);
      if (cmd === 'search') return setDraft('');
      if (cmd === 'nextMatch') return jump(nextMatch(matches, top + Math.floor(textHeight / 2), 1));
      if (cmd === 'prevMatch') return jump(nextMatch(matches, top + Math.floor(textHeight / 2), -1));
      const next = scrollBy(cmd, top, texts.length, textHeight);
      if (next !== undefined) {
        setOffset(next);
        setFollow(next >= bottom && cmd !== 'up' && cmd !== 'pageUp' && cmd !== 'top' ? follow : false);
      }
    },
    props.active && draft === undefined,
  );

  const visible = texts.slice(top, top + textHeight).map((t, i) => {
    const painted = highlight(t, query, theme);
    return lines[top + i]?.stream === 'stderr' && !query ? theme.paint('warning', painted) : painted;
  });
  const status =
    draft !== undefined
      ? `/${draft}${glyphs.unicode ? '▏' : '_'}`
      : `logs ${containerName(props.container)}  ${follow ? 'following' : 'paused'}  ${texts.length} lines` +
        (query ? `  "${query}": ${matches.length} matches` : '') +
        (error ? `  error: ${error}` : '');
  return (
    <Box flexDirection="column" height={props.height} width={props.width}>
      <Line text={theme.paint(draft !== undefined ? 'accent' : 'muted', fit(status, props.width, 'left', glyphs.ellipsis))} />
      <ScrollText lines={visible} offset={0} height={textHeight} width={props.width} />
    </Box>
  );
}
