/**
 * `R` on the images pane: run a new container from the image through a form (name, ports,
 * volumes, env, network, restart policy, memory and CPU limits, command). The equivalent
 * `berth run …` line is shown live below the fields as they change; Enter creates and starts it.
 */
import { useState } from 'react';
import { Box } from 'ink';
import type { ContainerCreateOptions } from '../engine/api.js';
import { useCommands } from '../ui/use-commands.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { editLine } from '../ui/line-edit.js';
import { fit } from '../ui/text.js';
import { RUN_FIELDS, buildRun, type RunFormValues } from './run-form-line.js';
import { wrapText } from './logs-model.js';
import type { CliAction } from './action-command.js';

export interface RunFormScreenProps {
  /** The image reference the line names (a tag when it has one, else its id). */
  image: string;
  width: number;
  height: number;
  active: boolean;
  onCancel: () => void;
  /** Creates and starts; resolves with an error to show, or undefined when done. */
  onRun: (options: ContainerCreateOptions, line: string) => Promise<string | undefined>;
  /** The berth command line on the image's host (`berth -H … run …`); default: the embedded engine's. */
  cliFor?: (a: CliAction) => string;
}

export function RunFormScreen(props: RunFormScreenProps) {
  const { theme, glyphs } = useUi();
  const [values, setValues] = useState<RunFormValues>(() => ({
    image: props.image,
    name: '',
    ports: '',
    volumes: '',
    env: '',
    network: '',
    restart: '',
    memory: '',
    cpus: '',
    command: '',
  }));
  const [focus, setFocus] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const built = buildRun(values);
  const line = props.cliFor?.({ kind: 'runArgs', argv: built.argv }) ?? built.line;
  const n = RUN_FIELDS.length;

  useCommands(
    ['input'],
    (cmd, text) => {
      if (busy) return;
      if (cmd === 'cancel') return props.onCancel();
      if (cmd === 'nextField') return setFocus((f) => (f + 1) % n);
      if (cmd === 'prevField') return setFocus((f) => (f + n - 1) % n);
      if (cmd === 'confirm') {
        if (!built.ok) return setError(built.error);
        setBusy(true);
        void props.onRun(built.options, line).then((err) => {
          setBusy(false);
          setError(err);
        });
        return;
      }
      const field = RUN_FIELDS[focus]!.id;
      setError(undefined);
      setValues((v) => ({ ...v, [field]: editLine(v[field], cmd, text) }));
    },
    props.active,
  );

  const labelW = Math.max(...RUN_FIELDS.map((f) => f.label.length));
  const lines: string[] = [theme.paint('title', fit(`Run a container from ${props.image}`, props.width, 'left', glyphs.ellipsis)), ''];
  RUN_FIELDS.forEach((f, i) => {
    const on = i === focus;
    const v = values[f.id];
    const label = `${on ? glyphs.pointer : ' '} ${f.label.padEnd(labelW)}  `;
    lines.push(
      `${theme.paint(on ? 'accent' : 'muted', label)}${v}${on ? theme.paint('selected', ' ') : ''}${v ? '' : theme.paint('muted', ` ${f.placeholder}`)}`,
    );
  });
  lines.push('');
  for (const piece of wrapText(`$ ${line}`, Math.max(10, props.width))) lines.push(theme.paint('accent', piece));
  const problem = error ?? (built.ok ? undefined : built.error);
  lines.push(problem ? theme.paint('error', problem) : busy ? theme.paint('warning', 'creating and starting…') : '');
  lines.push(
    theme.paint(
      'muted',
      glyphs.unicode ? 'tab/↓ next field   S-tab/↑ previous   enter run   esc cancel' : 'tab/down next field   S-tab/up previous   enter run   esc cancel',
    ),
  );
  return (
    <Box flexDirection="column" height={props.height} width={props.width}>
      {lines.slice(0, props.height).map((l, i) => (
        <Line key={i} text={l} />
      ))}
    </Box>
  );
}
