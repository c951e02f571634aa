/** The one-line result of the last action: in progress, done, or failed (and why). */
import { Text } from 'ink';
import { useUi } from './use-ui.js';
import { fit } from './text.js';

export interface Status {
  kind: 'progress' | 'ok' | 'error' | 'info';
  text: string;
}

export function StatusLine(props: { status: Status | undefined; width: number }) {
  const { theme, glyphs } = useUi();
  const s = props.status;
  if (!s) return <Text> </Text>;
  const prefix = s.kind === 'error' ? 'Error: ' : s.kind === 'progress' ? `${glyphs.ellipsis} ` : '';
  const tone = s.kind === 'error' ? 'error' : s.kind === 'ok' ? 'success' : s.kind === 'progress' ? 'warning' : 'muted';
  return <Text wrap="truncate-end">{theme.paint(tone, fit(prefix + s.text, props.width, 'left', glyphs.ellipsis))}</Text>;
}
