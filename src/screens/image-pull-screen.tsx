/**
 * `p` on the images pane: asks for a name, then pulls it with one progress bar per layer (the
 * engine's progress callback). Esc while it runs cancels the pull (the engine keeps nothing of
 * it) and leaves the view; once it is done, Esc leaves. The result reaches the status line.
 */
import { useEffect, useRef, useState } from 'react';
import { Box } from 'ink';
import type { Engine } from '../engine/api.js';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { editLine } from '../ui/line-edit.js';
import type { Status } from '../ui/StatusLine.js';
import { withCli, type CliAction } from './action-command.js';
import { applyProgress, pullLines, startPull, type PullState } from './image-pull-progress.js';

export interface ImagePullScreenProps {
  engine: Engine;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onQuit: () => void;
  /** The result, for the status line (also after the view was left). */
  onDone: (s: Status) => void;
  /** The berth command line of an action on this host (`berth -H … pull REF`). */
  cliFor?: (a: CliAction) => string;
}

export function ImagePullScreen(props: ImagePullScreenProps) {
  const { theme, glyphs } = useUi();
  const [draft, setDraft] = useState<string | undefined>('');
  const [error, setError] = useState<string | undefined>();
  const [state, setState] = useState<PullState | undefined>();

  // The running pull's cancel; quitting the dashboard cancels it too (no half image is left).
  const running = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => running.current?.abort(), []);

  const start = (ref: string) => {
    const pull = props.engine.images.pull;
    if (!pull) return setError('this host cannot pull images through berth (its engine has no pull)');
    setDraft(undefined);
    setState(startPull(ref));
    const cli = props.cliFor?.({ kind: 'pull', ref });
    const cancel = new AbortController();
    running.current = cancel;
    pull.call(props.engine.images, ref, { progress: (e) => setState((s) => (s ? applyProgress(s, e) : s)), signal: cancel.signal }).then(
      (id) => {
        running.current = undefined;
        setState((s) => (s ? { ...s, done: { id } } : s));
        props.onDone({ kind: 'ok', text: withCli(`Pulled ${ref}`, cli) });
      },
      (e: Error) => {
        running.current = undefined;
        if (cancel.signal.aborted) {
          props.onDone({ kind: 'ok', text: withCli(`Cancelled pull of ${ref}; nothing kept`, cli) });
          return;
        }
        setState((s) => (s ? { ...s, done: { error: e.message } } : s));
        props.onDone({ kind: 'error', text: withCli(`pull ${ref}: ${e.message}`, cli) });
      },
    );
  };

  useCommands(
    ['input'],
    (cmd, text) => {
      if (cmd === 'cancel') return props.onBack();
      if (cmd === 'confirm') {
        const ref = (draft ?? '').trim();
        if (!/^[a-z0-9]+([._/:@-][A-Za-z0-9_.-]+)*$/.test(ref)) return setError(`not an image name: "${ref}"`);
        return start(ref);
      }
      setError(undefined);
      setDraft((d) => editLine(d ?? '', cmd, text));
    },
    props.active && draft !== undefined,
  );
  useCommands(
    ['global'],
    (cmd) => {
      if (cmd === 'back') {
        const cancel = running.current;
        if (cancel) props.onDone({ kind: 'ok', text: `Cancelling the pull of ${state?.ref ?? 'the image'}…` });
        cancel?.abort();
        return props.onBack();
      }
      if (cmd === 'quit') return props.onQuit();
    },
    props.active && draft === undefined,
  );

  if (draft !== undefined) {
    return (
      <Box flexDirection="column" height={props.height} width={props.width}>
        <Line text={theme.paint('title', 'Pull an image')} />
        <Line
          text={`${theme.paint('accent', 'name: ')}${draft}${theme.paint('selected', ' ')}${draft ? '' : theme.paint('muted', 'e.g. debian:12, ghcr.io/org/app:1.2')}`}
        />
        <Line text={error ? theme.paint('error', error) : theme.paint('muted', 'enter pull   esc cancel')} />
      </Box>
    );
  }
  const lines = state ? pullLines(state, props.width, theme, glyphs, props.cliFor?.({ kind: 'pull', ref: state.ref })) : [];
  return (
    <ScrollText
      lines={[...lines, '', theme.paint('muted', state?.done ? 'esc back' : 'esc cancel the pull (nothing of it is kept)')]}
      offset={0}
      height={props.height}
      width={props.width}
    />
  );
}
