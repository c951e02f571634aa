/**
 * A small form: one or more text fields (a prompt is a form with one field). Tab/arrows move
 * between fields, Enter submits, Esc cancels. Validation is the caller's: it returns an error
 * message to show, or undefined to close.
 */
import { useState } from 'react';
import { Text } from 'ink';
import { useCommands } from './use-commands.js';
import { DialogFrame } from './DialogFrame.js';
import { TextField } from './TextField.js';
import { editLine } from './line-edit.js';
import { useUi } from './use-ui.js';

export interface FormField {
  id: string;
  label: string;
  initial?: string;
  placeholder?: string;
}

export interface FormDialogProps {
  title: string;
  fields: readonly FormField[];
  width: number;
  onSubmit: (values: Record<string, string>) => string | undefined;
  onCancel: () => void;
}

export function FormDialog(props: FormDialogProps) {
  const { theme } = useUi();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(props.fields.map((f) => [f.id, f.initial ?? ''])));
  const [focus, setFocus] = useState(0);
  const [error, setError] = useState<string | undefined>();
  // Field text takes every printable key; only the dialog/input commands act.
  useCommands(['input'], (cmd, text) => {
    const n = props.fields.length;
    if (cmd === 'cancel') return props.onCancel();
    if (cmd === 'confirm') {
      setError(props.onSubmit(values));
      return;
    }
    if (cmd === 'nextField') return setFocus((f) => (f + 1) % n);
    if (cmd === 'prevField') return setFocus((f) => (f + n - 1) % n);
    const field = props.fields[focus];
    if (!field) return;
    setValues((v) => ({ ...v, [field.id]: editLine(v[field.id] ?? '', cmd, text) }));
  });
  const hint = props.fields.length > 1 ? 'tab next field   enter ok   esc cancel' : 'enter ok   esc cancel';
  return (
    <DialogFrame title={props.title} hint={hint} width={props.width}>
      {props.fields.map((f, i) => (
        <TextField key={f.id} label={f.label} value={values[f.id] ?? ''} focused={i === focus} placeholder={f.placeholder} />
      ))}
      {error ? <Text wrap="truncate-end">{theme.paint('error', error)}</Text> : null}
    </DialogFrame>
  );
}
