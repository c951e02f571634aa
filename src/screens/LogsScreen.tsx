/**
 * Logs of one container, or several merged in time order with a name prefix each (a compose
 * project, marked rows). Follows by default (f toggles); since presets 0/1/5/h or typed (S);
 * t timestamps, w wrap; `/` searches: every match highlighted, shown with `c` context lines
 * around it (grep -C), n/N jump; s saves to a file what `berth logs` would print.
 */
import { useMemo, useState } from 'react';
import { homedir } from 'node:os';
import { Box } from 'ink';
import type { ContainerSummary } from '../engine/api.js';
import type { Command } from '../ui/bindings.js';
import { useCommands } from '../ui/use-commands.js';
import { ScrollText } from '../ui/ScrollText.js';
import { Line } from '../ui/Line.js';
import { useUi } from '../ui/use-ui.js';
import { editLine } from '../ui/line-edit.js';
import { fit } from '../ui/text.js';
import { useEngine } from './engine-context.js';
import { useLogFollow } from './use-log-follow.js';
import { highlight, matchingLines, nextMatch } from './log-search.js';
import { scrollBy } from './scroll.js';
import { containerName } from './containers-view.js';
import {
  SINCE_PRESETS,
  defaultSaveName,
  expandSavePath,
  lineText,
  namePrefix,
  paintPrefix,
  prefixWidth,
  searchRows,
  validSince,
  wrapText,
} from './logs-model.js';
import { saveLogs } from './logs-save.js';
import { logsCommand, withCli, type CliAction } from './action-command.js';

export interface LogsScreenProps {
  /** One container, or several (merged in time order). */
  containers: readonly ContainerSummary[];
  /** Shown in the title for a merged view ("project web"). */
  title?: string;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onQuit: () => void;
  onHelp: () => void;
  /** Where a bare file name is saved; default: the home directory. */
  home?: string;
  /** The berth command line of an action on the containers' host (`berth -H … logs …`). */
  cliFor?: (a: CliAction) => string;
}

type Prompt = { kind: 'search' | 'since' | 'save'; value: string };
const CONTEXTS = [2, 5, 0];
const SINCE_COMMANDS: Partial<Record<Command, string>> = { sinceAll: '0', since1m: '1', since5m: '5', since1h: 'h' };

interface DisplayRow {
  line: number; // -1: a gap between match groups
  text: string;
  first: boolean;
}

export function LogsScreen(props: LogsScreenProps) {
  const engine = useEngine();
  const { theme, glyphs } = useUi();
  // Keyed on the joined ids/names: the dashboard passes a fresh array on every render.
  const idsKey = props.containers.map((c) => c.id).join('\n');
  const namesKey = props.containers.map((c) => containerName(c)).join('\n');
  const ids = useMemo(() => idsKey.split('\n'), [idsKey]);
  const names = useMemo(() => namesKey.split('\n'), [namesKey]);
  const merged = ids.length > 1;
  const [since, setSince] = useState('');
  const { lines, version, error } = useLogFollow(engine, ids, { since });
  const [follow, setFollow] = useState(true);
  const [offset, setOffset] = useState(0);
  const [query, setQuery] = useState('');
  const [prompt, setPrompt] = useState<Prompt | undefined>();
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [ctxIndex, setCtxIndex] = useState(0);
  const [note, setNote] = useState<{ error: boolean; text: string } | undefined>();
  const context = CONTEXTS[ctxIndex]!;
  const textHeight = Math.max(1, props.height - 1);
  const width = props.width;

  const pw = merged ? prefixWidth(names) : 0;
  const prefixes = useMemo(() => (merged ? names.map((n) => namePrefix(n, pw)) : undefined), [merged, names, pw]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` marks new lines in the buffer
  const texts = useMemo(() => lines.map((l) => lineText(l, { timestamps, prefix: prefixes?.[l.source] })), [lines, version, timestamps, prefixes]);
  const matches = useMemo(() => matchingLines(texts, query), [texts, query]);
  const display = useMemo(() => {
    const out: DisplayRow[] = [];
    for (const r of searchRows(texts, matches, context, query)) {
      if ('gap' in r) out.push({ line: -1, text: '--', first: true });
      else if (!wrap) out.push({ line: r.line, text: texts[r.line]!, first: true });
      else for (const [i, piece] of wrapText(texts[r.line]!, width).entries()) out.push({ line: r.line, text: piece, first: i === 0 });
    }
    return out;
  }, [texts, matches, context, query, wrap, width]);
  const bottom = Math.max(0, display.length - textHeight);
  const top = follow ? bottom : Math.min(offset, bottom);

  const rowOfLine = (line: number) => display.findIndex((d) => d.line === line);
  const centerLine = () => {
    for (let i = top + Math.floor(textHeight / 2); i >= 0; i--) if ((display[i]?.line ?? -1) >= 0) return display[i]!.line;
    return -1;
  };
  const jump = (line: number | undefined, rows = display) => {
    if (line === undefined) return;
    setFollow(false);
    const at = rows === display ? rowOfLine(line) : rows.findIndex((d) => d.line === line);
    setOffset(Math.max(0, at - Math.floor(textHeight / 2)));
  };

  // The berth command behind the view (it follows) and behind a save (a snapshot into a file):
  // `berth logs` takes one container, so a merged view reads as one command per container.
  const cliOf = (file?: string): string | undefined =>
    props.cliFor && logsCommand(names, { since, timestamps, ...(file !== undefined ? { file } : {}) }, props.cliFor);

  const save = (raw: string) => {
    const path = expandSavePath(raw || defaultSaveName(names, new Date()), props.home ?? homedir());
    setNote({ error: false, text: `saving to ${path}…` });
    saveLogs(engine, ids, path, { since, timestamps, ...(prefixes ? { prefixes } : {}) }).then(
      (n) => setNote({ error: false, text: withCli(`saved ${n} lines to ${path}`, cliOf(path)) }),
      (e: Error) => setNote({ error: true, text: `cannot save: ${e.message}` }),
    );
  };

  useCommands(
    ['input'],
    (cmd, text) => {
      if (!prompt) return;
      if (cmd === 'cancel') return setPrompt(undefined);
      if (cmd === 'confirm') {
        const v = prompt.value.trim();
        setPrompt(undefined);
        if (prompt.kind === 'search') {
          setQuery(v);
          // Jump within the rows the new query will show: recompute them here.
          const m = matchingLines(texts, v);
          const rows = searchRows(texts, m, context, v).map((r) => ({ line: 'gap' in r ? -1 : r.line, text: '', first: true }));
          return jump(nextMatch(m, centerLine() - 1, 1), rows);
        }
        if (prompt.kind === 'since') {
          if (v && !validSince(v)) return setNote({ error: true, text: `not a duration or timestamp: ${v}` });
          setNote(undefined);
          return setSince(v);
        }
        return save(v);
      }
      setPrompt((p) => (p ? { ...p, value: editLine(p.value, cmd, text) } : p));
    },
    props.active && prompt !== undefined,
  );
  useCommands(
    ['logs', 'global'],
    (cmd) => {
      if (note) setNote(undefined);
      if (cmd === 'back') return query ? setQuery('') : props.onBack();
      if (cmd === 'quit') return props.onQuit();
      if (cmd === 'help') return props.onHelp();
      if (cmd === 'follow') return setFollow((f) => !f);
      if (cmd === 'search') return setPrompt({ kind: 'search', value: '' });
      if (cmd === 'sinceAsk') return setPrompt({ kind: 'since', value: since });
      if (cmd === 'save') return setPrompt({ kind: 'save', value: '' });
      if (cmd === 'timestamps') return setTimestamps((t) => !t);
      if (cmd === 'wrap') return setWrap((w) => !w);
      if (cmd === 'context') return setCtxIndex((i) => (i + 1) % CONTEXTS.length);
      const preset = cmd ? SINCE_COMMANDS[cmd] : undefined;
      if (preset !== undefined) {
        setFollow(true);
        return setSince(SINCE_PRESETS[preset]!);
      }
      if (cmd === 'nextMatch') return jump(nextMatch(matches, centerLine(), 1));
      if (cmd === 'prevMatch') return jump(nextMatch(matches, centerLine(), -1));
      const next = scrollBy(cmd, top, display.length, textHeight);
      if (next !== undefined) {
        setOffset(next);
        setFollow(next >= bottom && cmd !== 'up' && cmd !== 'pageUp' && cmd !== 'top' ? follow : false);
      }
    },
    props.active && prompt === undefined,
  );

  const visible = display.slice(top, top + textHeight).map((d) => {
    if (d.line < 0) return theme.paint('muted', d.text);
    const l = lines[d.line];
    let head = '';
    let body = d.text;
    if (merged && d.first && l) {
      head = paintPrefix(body.slice(0, pw + 3), l.source, theme.color);
      body = body.slice(pw + 3);
    }
    const painted = highlight(body, query, theme);
    return head + (l?.stream === 'stderr' && !query ? theme.paint('warning', painted) : painted);
  });
  const who = props.title ?? (merged ? `${names.length} containers` : (names[0] ?? ''));
  const flags = [follow ? 'following' : 'paused', since ? `since ${since}` : 'all', ...(timestamps ? ['timestamps'] : []), ...(wrap ? ['wrap'] : [])];
  const cursor = glyphs.unicode ? '▏' : '_';
  const label = {
    search: '/',
    since: 'since (10m, 2h, 2026-12-06T10:00:00Z; empty = all): ',
    save: `save to (default ~/${defaultSaveName(names, new Date())}): `,
  };
  const status = prompt
    ? `${label[prompt.kind]}${prompt.value}${cursor}`
    : note
      ? note.text
      : withCli(
          `logs ${who}  ${flags.join('  ')}  ${texts.length} lines` +
            (query ? `  "${query}": ${matches.length} matches, ${context} around` : '') +
            (error ? `  error: ${error}` : ''),
          cliOf(),
        );
  const tone = prompt ? 'accent' : note?.error ? 'error' : note ? 'success' : 'muted';
  return (
    <Box flexDirection="column" height={props.height} width={props.width}>
      <Line text={theme.paint(tone, fit(status, props.width, 'left', glyphs.ellipsis))} />
      <ScrollText lines={visible} offset={0} height={textHeight} width={props.width} />
    </Box>
  );
}
