/** Choose one of a few options (a network to connect to): arrows or j/k, Enter picks. */
import { useState } from 'react';
import { Text } from 'ink';
import { useCommands } from './use-commands.js';
import { DialogFrame } from './DialogFrame.js';
import { fit } from './text.js';
import { useUi } from './use-ui.js';

export interface PickerOption {
  value: string;
  label: string;
}

export interface PickerDialogProps {
  title: string;
  options: readonly PickerOption[];
  /** The option selected when the picker opens (the current host in the host switcher). */
  initial?: number;
  width: number;
  onPick: (value: string) => void;
  onCancel: () => void;
}

export function PickerDialog(props: PickerDialogProps) {
  const { theme, glyphs } = useUi();
  const [index, setIndex] = useState(() => Math.max(0, Math.min(props.options.length - 1, props.initial ?? 0)));
  const n = props.options.length;
  useCommands(['dialog', 'global'], (cmd) => {
    if (cmd === 'cancel' || cmd === 'back') props.onCancel();
    else if (cmd === 'confirm') {
      const o = props.options[index];
      if (o) props.onPick(o.value);
    } else if (cmd === 'nextField' || cmd === 'down') setIndex((i) => (i + 1) % Math.max(1, n));
    else if (cmd === 'prevField' || cmd === 'up') setIndex((i) => (i + n - 1) % Math.max(1, n));
  });
  const inner = Math.max(10, props.width - 4);
  return (
    <DialogFrame title={props.title} hint="j/k move   enter pick   esc cancel" width={props.width}>
      {props.options.map((o, i) => {
        const line = fit(`${i === index ? glyphs.pointer : ' '} ${o.label}`, inner, 'left', glyphs.ellipsis);
        return (
          <Text key={o.value} wrap="truncate-end">
            {i === index ? theme.paint('selected', line) : line}
          </Text>
        );
      })}
    </DialogFrame>
  );
}
