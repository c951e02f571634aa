/** `?`: every key binding with its CLI equivalent, scrollable, with a line saying where it is. */
import { useMemo, useState } from 'react';
import { Box } from 'ink';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { BINDINGS } from '../ui/bindings.js';
import { helpLines, scrollIndicator } from './help-lines.js';
import { scrollBy } from './scroll.js';

export function HelpScreen(props: { width: number; height: number; active: boolean; onClose: () => void; onQuit: () => void }) {
  const { theme, glyphs } = useUi();
  const lines = useMemo(() => helpLines(theme, BINDINGS, props.width), [theme, props.width]);
  const [offset, setOffset] = useState(0);
  // One line for the indicator, so "more follows" is never a guess.
  const body = Math.max(1, props.height - 1);
  const shown = Math.min(offset, Math.max(0, lines.length - body));
  useCommands(
    ['global'],
    (cmd) => {
      if (cmd === 'back' || cmd === 'help') return props.onClose();
      if (cmd === 'quit') return props.onQuit();
      const next = scrollBy(cmd, shown, lines.length, body);
      if (next !== undefined) setOffset(next);
    },
    props.active,
  );
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <ScrollText lines={lines} offset={shown} height={body} width={props.width} />
      <Line text={theme.paint('accent', scrollIndicator(shown, body, lines.length, glyphs.unicode))} />
    </Box>
  );
}
