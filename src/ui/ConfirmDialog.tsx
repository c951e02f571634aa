/** Yes/no before a destructive action; nothing happens unless the user says yes. */
import { Text } from 'ink';
import { useCommands } from './use-commands.js';
import { DialogFrame } from './DialogFrame.js';
import { firstKey } from './bindings.js';
import { useUi } from './use-ui.js';

export interface ConfirmDialogProps {
  message: string;
  width: number;
  onYes: () => void;
  onNo: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { theme } = useUi();
  useCommands(['dialog'], (cmd) => {
    if (cmd === 'yes') props.onYes();
    else if (cmd === 'no' || cmd === 'cancel') props.onNo();
  });
  const hint = `${firstKey('yes', ['dialog'])} yes   ${firstKey('no', ['dialog'])} / esc no`;
  return (
    <DialogFrame title="Confirm" hint={hint} width={props.width}>
      <Text wrap="wrap">{theme.paint('warning', props.message)}</Text>
    </DialogFrame>
  );
}
