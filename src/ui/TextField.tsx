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
  const cursor = props.focused ? theme.paint('selected', ' ') : '';
  // An empty field shows its placeholder (the default it stands for) after the cursor.
  const rest = props.value ? '' : theme.paint('muted', props.placeholder ?? '');
  return (
    <Text wrap="truncate-end">
      {theme.paint(props.focused ? 'accent' : 'muted', `${props.label}: `)}
      {props.value}
      {cursor}
      {rest}
    </Text>
  );
}
