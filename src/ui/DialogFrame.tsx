/** The bordered box every dialog sits in, with its title and a hint line. */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useUi } from './use-ui.js';

export function DialogFrame(props: { title: string; hint: string; width: number; children: ReactNode }) {
  const { theme, glyphs } = useUi();
  return (
    <Box flexDirection="column" borderStyle={glyphs.border} borderColor={theme.ink.borderFocus} width={props.width} paddingX={1}>
      <Text wrap="truncate-end">{theme.paint('title', props.title)}</Text>
      {props.children}
      <Text wrap="truncate-end">{theme.paint('muted', props.hint)}</Text>
    </Box>
  );
}
