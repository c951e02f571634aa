/**
 * `F`: a container's (or a volume's) file tree, with mode, size and time where the engine lists
 * them itself. Enter opens a directory or views a text
 * file (a binary one is refused with a message; a large one is read a page at a time, [ and ]);
 * Backspace/← goes up; `o` copies the selected entry out to this machine, `i` copies a path of
 * this machine into the directory on screen — with `berth cp`'s archive API and rules (a
 * volume's too; where the host's API has no file access to volumes, the keys say why).
 */
import { useEffect, useRef, useState } from 'react';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { Box } from 'ink';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { editLine } from '../ui/line-edit.js';
import { fit } from '../ui/text.js';
import { bytes } from '../ui/format.js';
import { scrollBy } from './scroll.js';
import { expandSavePath } from './logs-model.js';
import type { FileEntry, FileSource } from './files-source.js';
import { entryText, looksBinary } from './files-text.js';
import { withCli, type CliAction } from './action-command.js';

export const FILE_PAGE = 256 * 1024;

export interface FilesScreenProps {
  source: FileSource;
  /** Where listing starts. */
  start?: string;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onQuit: () => void;
  onHelp: () => void;
  /** Where a bare file name given to copy-out goes; default: the home directory. */
  home?: string;
  /** For a container: its name and the berth command line of an action on its host (`berth cp …`); a volume has none. */
  cli?: { name: string; line: (a: CliAction) => string };
}

interface Viewing {
  path: string;
  lines: string[];
  page: number;
  size: number;
}

type Prompt = { kind: 'copyOut' | 'copyIn'; value: string };

export function FilesScreen(props: FilesScreenProps) {
  const { theme, glyphs } = useUi();
  const { source } = props;
  const [cwd, setCwd] = useState(props.start ?? '/');
  // The listing and the directory it is of: a frame drawn between a change of directory and its
  // listing's arrival shows "loading…", never the last directory's entries under the new name.
  const [listing, setListing] = useState<{ dir: string; entries: FileEntry[] } | undefined>();
  const [index, setIndex] = useState(0);
  const [offset, setOffset] = useState(0);
  const [view, setView] = useState<Viewing | undefined>();
  const [prompt, setPrompt] = useState<Prompt | undefined>();
  const [note, setNote] = useState<{ error: boolean; text: string } | undefined>();
  const [reload, setReload] = useState(0);
  const pendingSelect = useRef<string | undefined>(undefined);
  const bodyH = Math.max(1, props.height - 2);
  const home = props.home ?? homedir();

  useEffect(() => {
    let alive = true;
    setListing(undefined);
    source.list(cwd).then(
      (e) => alive && setListing({ dir: cwd, entries: e }),
      (e: Error) => {
        if (!alive) return;
        setListing({ dir: cwd, entries: [] });
        setNote({ error: true, text: e.message });
      },
    );
    return () => {
      alive = false;
    };
  }, [source, cwd, reload]);

  const entries = listing?.dir === cwd ? listing.entries : undefined;
  const selected = entries?.[index];
  const pathOf = (e: FileEntry) => posix.join(cwd, e.name);

  const openPage = (path: string, page: number) => {
    source.read(path, page * FILE_PAGE, FILE_PAGE).then(
      ({ data, size }) => {
        if (page === 0 && looksBinary(data)) return setNote({ error: true, text: `${path} is a binary file (${bytes(size)}): not shown; o copies it out` });
        setView({ path, lines: data.toString('utf8').replace(/\t/g, '    ').split('\n'), page, size });
        setOffset(0);
        setNote(undefined);
      },
      (e: Error) => setNote({ error: true, text: e.message }),
    );
  };
  const enter = (e: FileEntry) => {
    const path = pathOf(e);
    const go = (dir: boolean) => {
      if (dir) {
        setCwd(path);
        setIndex(0);
        setNote(undefined);
      } else openPage(path, 0);
    };
    if (e.dir) return go(true);
    source.kind(path).then(
      (k) => go(k.dir),
      (err: Error) => setNote({ error: true, text: err.message }),
    );
  };
  const up = () => {
    if (cwd === '/') return;
    const name = posix.basename(cwd);
    setCwd(posix.dirname(cwd));
    setNote(undefined);
    // Land on the directory we came from once the parent's listing arrives.
    pendingSelect.current = name;
  };
  // After going up, select the directory we left once the listing arrives.
  useEffect(() => {
    if (entries && pendingSelect.current !== undefined) {
      const i = entries.findIndex((e) => e.name === pendingSelect.current);
      pendingSelect.current = undefined;
      setIndex(Math.max(0, i));
    }
  }, [entries]);

  const cliOf = (a: { kind: 'copyOut'; path: string; dest: string } | { kind: 'copyIn'; src: string; dir: string }) =>
    props.cli ? props.cli.line({ ...a, name: props.cli.name }) : undefined;
  const runCopy = (p: Prompt) => {
    const v = p.value.trim();
    if (p.kind === 'copyOut' && selected) {
      const dest = expandSavePath(v || selected.name, home);
      setNote({ error: false, text: `copying ${pathOf(selected)} to ${dest}…` });
      source.copyOut(pathOf(selected), dest).then(
        (to) => setNote({ error: false, text: withCli(`copied ${pathOf(selected)} to ${to}`, cliOf({ kind: 'copyOut', path: pathOf(selected), dest })) }),
        (e: Error) => setNote({ error: true, text: `copy out: ${e.message}` }),
      );
    } else if (p.kind === 'copyIn') {
      if (!v) return setNote({ error: true, text: 'copy in: a path on this machine is needed' });
      const src = expandSavePath(v, home);
      setNote({ error: false, text: `copying ${src} into ${cwd}…` });
      source.copyIn(src, cwd).then(
        (to) => {
          setNote({ error: false, text: withCli(`copied ${src} to ${to}`, cliOf({ kind: 'copyIn', src, dir: cwd })) });
          setReload((r) => r + 1);
        },
        (e: Error) => setNote({ error: true, text: `copy in: ${e.message}` }),
      );
    }
  };

  useCommands(
    ['input'],
    (cmd, text) => {
      if (!prompt) return;
      if (cmd === 'cancel') return setPrompt(undefined);
      if (cmd === 'confirm') {
        setPrompt(undefined);
        return runCopy(prompt);
      }
      setPrompt({ ...prompt, value: editLine(prompt.value, cmd, text) });
    },
    props.active && prompt !== undefined,
  );
  useCommands(
    ['files', 'global'],
    (cmd) => {
      if (cmd === 'quit') return props.onQuit();
      if (cmd === 'help') return props.onHelp();
      if (view) {
        if (cmd === 'back' || cmd === 'parentDir') return setView(undefined);
        const pages = Math.max(1, Math.ceil(view.size / FILE_PAGE));
        if (cmd === 'nextPage' && view.page + 1 < pages) return openPage(view.path, view.page + 1);
        if (cmd === 'prevPage' && view.page > 0) return openPage(view.path, view.page - 1);
        const next = scrollBy(cmd, offset, view.lines.length, bodyH);
        if (next !== undefined) setOffset(next);
        return;
      }
      if (cmd === 'back') return props.onBack();
      if (cmd === 'parentDir') return up();
      if (cmd === 'open' && selected) return enter(selected);
      // A source that cannot copy says why at the key, before asking for a path.
      if ((cmd === 'copyOut' || cmd === 'copyIn') && source.copyRefusal) return setNote({ error: true, text: source.copyRefusal });
      if (cmd === 'copyOut' && selected) return setPrompt({ kind: 'copyOut', value: '' });
      if (cmd === 'copyIn') return setPrompt({ kind: 'copyIn', value: '' });
      const n = entries?.length ?? 0;
      // Relative to the latest index: keys typed fast are replayed before the next render.
      const moves: Partial<Record<string, (i: number) => number>> = {
        down: (i) => i + 1,
        up: (i) => i - 1,
        pageDown: (i) => i + bodyH,
        pageUp: (i) => i - bodyH,
        top: () => 0,
        bottom: () => n - 1,
      };
      const move = cmd ? moves[cmd] : undefined;
      if (move) setIndex((i) => Math.max(0, Math.min(n - 1, move(i))));
    },
    props.active && prompt === undefined,
  );

  const cursor = glyphs.unicode ? '▏' : '_';
  let title: string;
  let body: string[];
  let top = 0;
  if (view) {
    const pages = Math.max(1, Math.ceil(view.size / FILE_PAGE));
    title = `${source.label}:${view.path}  ${bytes(view.size)}${pages > 1 ? `  page ${view.page + 1}/${pages}  [ ] pages` : ''}  esc back`;
    body = view.lines;
    top = offset;
  } else {
    title = `${source.label}:${cwd}  ${entries ? `${entries.length} entries` : 'loading…'}`;
    const list = entries ?? [];
    const sel = Math.max(0, Math.min(index, list.length - 1));
    top = Math.max(0, Math.min(sel - Math.floor(bodyH / 2), list.length - bodyH));
    body = list.map((e, i) => {
      const text = fit(`${i === sel ? glyphs.pointer : ' '} ${entryText(e.name, e.dir, e.detail)}`, props.width, 'left', glyphs.ellipsis);
      return i === sel ? theme.paint('selected', text) : e.dir ? theme.paint('accent', text) : text;
    });
    if (entries && !list.length) body = [theme.paint('muted', '(empty)')];
  }
  const label = {
    copyOut: `copy ${selected ? pathOf(selected) : ''} to (this machine; default ~/${selected?.name ?? ''}): `,
    copyIn: `copy into ${cwd} from (a path on this machine): `,
  };
  const status = prompt
    ? theme.paint('accent', `${label[prompt.kind]}${prompt.value}${cursor}`)
    : note
      ? theme.paint(note.error ? 'error' : 'success', note.text)
      : theme.paint('muted', `enter open  ${glyphs.unicode ? '⌫/←' : 'bksp/left'} up  o copy out  i copy in  esc back`);
  return (
    <Box flexDirection="column" height={props.height} width={props.width}>
      <Line text={theme.paint('title', fit(title, props.width, 'left', glyphs.ellipsis))} />
      <ScrollText lines={body} offset={top} height={bodyH} width={props.width} />
      <Line text={status} />
    </Box>
  );
}
