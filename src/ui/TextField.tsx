/** A labelled one-line field with a block cursor (no terminal cursor: Ink hides it). */
import { Text } from 'ink';
import { useUi } from './use-ui.js';

export interface TextFieldProps {
  label: string;
  value: string;
  focused: boolean;
  placeholder?: string;
}

export function TextField(props: TextFieldProps) {
  const { theme } = useUi();
  const shown = props.value || (props.focused ? '' : theme.paint('muted', props.placeholder ?? ''));
  const cursor = props.focused ? theme.paint('selected', ' ') : '';
  return (
    <Text wrap="truncate-end">
      {theme.paint(props.focused ? 'accent' : 'muted', `${props.label}: `)}
      {shown}
      {cursor}
    </Text>
  );
}
