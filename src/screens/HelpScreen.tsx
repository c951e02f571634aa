/** `?`: every key binding, scrollable. */
import { useMemo, useState } from 'react';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { useUi } from '../ui/use-ui.js';
import { helpLines } from './help-lines.js';
import { scrollBy } from './scroll.js';

export function HelpScreen(props: { width: number; height: number; active: boolean; onClose: () => void; onQuit: () => void }) {
  const { theme } = useUi();
  const lines = useMemo(() => helpLines(theme), [theme]);
  const [offset, setOffset] = useState(0);
  useCommands(
    ['global'],
    (cmd) => {
      if (cmd === 'back' || cmd === 'help') return props.onClose();
      if (cmd === 'quit') return props.onQuit();
      const next = scrollBy(cmd, offset, lines.length, props.height);
      if (next !== undefined) setOffset(next);
    },
    props.active,
  );
  return <ScrollText lines={lines} offset={offset} height={props.height} width={props.width} />;
}
