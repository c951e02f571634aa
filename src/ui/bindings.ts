/**
 * The one key binding table. Components dispatch on commands, never on raw keys, and the help
 * screen is generated from this table, so the two cannot drift apart. Choices follow what
 * lazydocker, k9s and ctop users already know: vim motions, Tab/number keys between panes, `/`
 * filter, `l` logs (k9s, ctop), `e`/`E` shell (ctop/lazydocker), `a` attach, `s` stop and `r`
 * restart and `d` remove (lazydocker), Shift-K kill (k9s' Ctrl-K, made unhurried).
 */
export type Scope =
  | 'global'
  | 'list'
  | 'containers'
  | 'images'
  | 'networks'
  | 'volumes'
  | 'resources'
  | 'detail'
  | 'logs'
  | 'dialog'
  | 'input'
  | 'prompt'
  // dash-b: the file browser
  | 'files';

export type Command =
  | 'quit'
  | 'help'
  | 'back'
  | 'down'
  | 'up'
  | 'pageDown'
  | 'pageUp'
  | 'top'
  | 'bottom'
  | 'nextPane'
  | 'prevPane'
  | 'pane1'
  | 'pane2'
  | 'pane3'
  | 'pane4'
  | 'open'
  | 'filter'
  | 'sort'
  | 'sortReverse'
  | 'hosts'
  | 'allHosts'
  | 'start'
  | 'stop'
  | 'restart'
  | 'pause'
  | 'kill'
  | 'remove'
  | 'commit'
  | 'connect'
  | 'disconnect'
  | 'shell'
  | 'attach'
  | 'logs'
  | 'prune'
  | 'create'
  | 'mark'
  | 'markAll'
  | 'markProject'
  | 'group'
  | 'update'
  | 'events'
  | 'commandLine'
  | 'complete'
  | 'historyPrev'
  | 'historyNext'
  | 'follow'
  | 'search'
  | 'nextMatch'
  | 'prevMatch'
  | 'confirm'
  | 'cancel'
  | 'yes'
  | 'no'
  | 'nextField'
  | 'prevField'
  | 'deleteChar'
  // dash-b: logs options, detail tabs, images, files
  | 'sinceAll'
  | 'since1m'
  | 'since5m'
  | 'since1h'
  | 'sinceAsk'
  | 'timestamps'
  | 'wrap'
  | 'save'
  | 'context'
  | 'projectLogs'
  | 'nextTab'
  | 'prevTab'
  | 'tab1'
  | 'tab2'
  | 'tab3'
  | 'tab4'
  | 'tab5'
  | 'tab6'
  | 'tab7'
  | 'tab8'
  | 'history'
  | 'pull'
  | 'tag'
  | 'run'
  | 'files'
  | 'parentDir'
  | 'copyOut'
  | 'copyIn'
  | 'nextPage'
  | 'prevPage';

export interface Binding {
  command: Command;
  keys: readonly string[];
  scope: Scope;
  help: string;
}

export const SCOPE_TITLES: Record<Scope, string> = {
  global: 'Everywhere',
  list: 'Lists',
  containers: 'Containers pane',
  resources: 'Images, networks, volumes panes',
  images: 'Images pane',
  networks: 'Networks pane',
  volumes: 'Volumes pane',
  detail: 'Detail view',
  logs: 'Logs view',
  dialog: 'Dialogs and pickers',
  input: 'Text fields',
  prompt: 'Command line (:)',
  files: 'Files view',
};

export const BINDINGS: readonly Binding[] = [
  { command: 'quit', keys: ['q', 'ctrl+c'], scope: 'global', help: 'quit (restores the terminal)' },
  { command: 'help', keys: ['?'], scope: 'global', help: 'this help' },
  { command: 'back', keys: ['esc'], scope: 'global', help: 'back / close / clear filter' },
  { command: 'down', keys: ['j', 'down'], scope: 'global', help: 'move down' },
  { command: 'up', keys: ['k', 'up'], scope: 'global', help: 'move up' },
  { command: 'pageDown', keys: ['pagedown', 'ctrl+f'], scope: 'global', help: 'page down' },
  { command: 'pageUp', keys: ['pageup', 'ctrl+b'], scope: 'global', help: 'page up' },
  { command: 'top', keys: ['g', 'home'], scope: 'global', help: 'first row' },
  { command: 'bottom', keys: ['G', 'end'], scope: 'global', help: 'last row' },

  { command: 'nextPane', keys: ['tab', 'right'], scope: 'list', help: 'next pane' },
  { command: 'prevPane', keys: ['shift+tab', 'left'], scope: 'list', help: 'previous pane' },
  { command: 'pane1', keys: ['1'], scope: 'list', help: 'containers' },
  { command: 'pane2', keys: ['2'], scope: 'list', help: 'images' },
  { command: 'pane3', keys: ['3'], scope: 'list', help: 'networks' },
  { command: 'pane4', keys: ['4'], scope: 'list', help: 'volumes' },
  { command: 'open', keys: ['enter'], scope: 'list', help: 'details of the selected item (a project heading: fold / unfold)' },
  { command: 'filter', keys: ['/'], scope: 'list', help: 'filter rows (Enter keeps, Esc clears)' },
  { command: 'sort', keys: ['o'], scope: 'list', help: 'sort by the next column' },
  { command: 'sortReverse', keys: ['O'], scope: 'list', help: 'reverse the sort order' },
  { command: 'hosts', keys: ['H', '@'], scope: 'list', help: 'switch host (embedded engine, contexts, -H hosts)' },
  { command: 'allHosts', keys: ['A'], scope: 'list', help: 'all hosts at once (HOST column) / back to one host' },
  { command: 'events', keys: ['v'], scope: 'list', help: 'events as they happen (/ filters)' },
  { command: 'commandLine', keys: [':'], scope: 'list', help: 'command line (:stop web, :images, :q; Tab completes)' },

  { command: 'start', keys: ['S'], scope: 'containers', help: 'start' },
  { command: 'stop', keys: ['s'], scope: 'containers', help: 'stop (asks first)' },
  { command: 'restart', keys: ['r'], scope: 'containers', help: 'restart (asks first)' },
  { command: 'pause', keys: ['p'], scope: 'containers', help: 'pause / unpause' },
  { command: 'kill', keys: ['K'], scope: 'containers', help: 'kill (asks first)' },
  { command: 'remove', keys: ['d'], scope: 'containers', help: 'remove (asks first; force if running)' },
  { command: 'commit', keys: ['c'], scope: 'containers', help: 'commit to a new image (asks repository:tag)' },
  { command: 'connect', keys: ['n'], scope: 'containers', help: 'connect to a network (pick one)' },
  { command: 'disconnect', keys: ['N'], scope: 'containers', help: 'disconnect from a network (pick one)' },
  { command: 'shell', keys: ['e', 'E'], scope: 'containers', help: 'shell: /bin/sh inside (exit to return)' },
  { command: 'attach', keys: ['a'], scope: 'containers', help: 'attach (Ctrl-P Ctrl-Q detaches)' },
  { command: 'logs', keys: ['l'], scope: 'containers', help: 'logs (follow, search); marked rows: merged' },
  { command: 'prune', keys: ['P'], scope: 'containers', help: 'prune stopped containers (asks first)' },
  { command: 'update', keys: ['u'], scope: 'containers', help: 'live limits: memory, CPUs, pids, restart policy' },
  { command: 'mark', keys: [' '], scope: 'containers', help: 'mark / unmark (S s r p K d l act on all marked)' },
  { command: 'markAll', keys: ['*'], scope: 'containers', help: 'mark every row shown / unmark all (also esc)' },
  { command: 'markProject', keys: ['m'], scope: 'containers', help: "mark the selected row's compose project" },
  { command: 'group', keys: ['z'], scope: 'containers', help: 'group by compose project (also :group)' },

  { command: 'remove', keys: ['d'], scope: 'resources', help: 'remove (asks first)' },
  { command: 'prune', keys: ['P'], scope: 'resources', help: 'prune unused (asks first)' },
  { command: 'create', keys: ['c'], scope: 'networks', help: 'create a network (form)' },
  { command: 'create', keys: ['c'], scope: 'volumes', help: 'create a volume (form)' },

  { command: 'logs', keys: ['l'], scope: 'detail', help: 'logs of this container' },

  { command: 'follow', keys: ['f'], scope: 'logs', help: 'follow on / off' },
  { command: 'search', keys: ['/'], scope: 'logs', help: 'search' },
  { command: 'nextMatch', keys: ['n'], scope: 'logs', help: 'next match' },
  { command: 'prevMatch', keys: ['N'], scope: 'logs', help: 'previous match' },

  // dash-b: logs options, merged logs, detail tabs, images, files
  { command: 'sinceAll', keys: ['0'], scope: 'logs', help: 'since: all' },
  { command: 'since1m', keys: ['1'], scope: 'logs', help: 'since: the last minute' },
  { command: 'since5m', keys: ['5'], scope: 'logs', help: 'since: the last 5 minutes' },
  { command: 'since1h', keys: ['h'], scope: 'logs', help: 'since: the last hour' },
  { command: 'sinceAsk', keys: ['S'], scope: 'logs', help: 'since: typed (10m, 2h, a timestamp)' },
  { command: 'timestamps', keys: ['t'], scope: 'logs', help: 'timestamps on / off' },
  { command: 'wrap', keys: ['w'], scope: 'logs', help: 'wrap long lines on / off' },
  { command: 'context', keys: ['c'], scope: 'logs', help: 'context lines around matches: 0 / 2 / 5' },
  { command: 'save', keys: ['s'], scope: 'logs', help: 'save to a file (asks the path; as berth logs prints)' },
  { command: 'projectLogs', keys: ['L'], scope: 'containers', help: 'merged logs of its compose project (time order)' },
  { command: 'files', keys: ['F'], scope: 'containers', help: 'browse its files, view, copy out / in' },
  { command: 'history', keys: ['h'], scope: 'images', help: 'history: layers, sizes, the commands that made them' },
  { command: 'pull', keys: ['p'], scope: 'images', help: 'pull an image by name (progress per layer; esc cancels)' },
  { command: 'tag', keys: ['t'], scope: 'images', help: 'tag (asks repository:tag)' },
  { command: 'run', keys: ['R'], scope: 'images', help: 'run a container from it (form, shows the berth run line)' },
  { command: 'files', keys: ['F'], scope: 'volumes', help: 'browse its files (embedded engine)' },
  { command: 'nextTab', keys: ['tab', 'right'], scope: 'detail', help: 'next tab' },
  { command: 'prevTab', keys: ['shift+tab', 'left'], scope: 'detail', help: 'previous tab' },
  { command: 'tab1', keys: ['1'], scope: 'detail', help: 'tab 1 … 8 (digits)' },
  { command: 'tab2', keys: ['2'], scope: 'detail', help: 'tab 2' },
  { command: 'tab3', keys: ['3'], scope: 'detail', help: 'tab 3' },
  { command: 'tab4', keys: ['4'], scope: 'detail', help: 'tab 4' },
  { command: 'tab5', keys: ['5'], scope: 'detail', help: 'tab 5' },
  { command: 'tab6', keys: ['6'], scope: 'detail', help: 'tab 6' },
  { command: 'tab7', keys: ['7'], scope: 'detail', help: 'tab 7' },
  { command: 'tab8', keys: ['8'], scope: 'detail', help: 'tab 8' },
  { command: 'search', keys: ['/'], scope: 'detail', help: 'search (inspect tab)' },
  { command: 'nextMatch', keys: ['n'], scope: 'detail', help: 'next match' },
  { command: 'prevMatch', keys: ['N'], scope: 'detail', help: 'previous match' },
  { command: 'open', keys: ['enter', 'right'], scope: 'files', help: 'open a directory / view a file' },
  { command: 'parentDir', keys: ['backspace', 'left', 'u'], scope: 'files', help: 'up to the parent directory' },
  { command: 'copyOut', keys: ['o'], scope: 'files', help: 'copy out to the host (asks where)' },
  { command: 'copyIn', keys: ['i'], scope: 'files', help: 'copy in from the host (asks what)' },
  { command: 'nextPage', keys: [']'], scope: 'files', help: 'next page of a large file' },
  { command: 'prevPage', keys: ['['], scope: 'files', help: 'previous page of a large file' },

  { command: 'yes', keys: ['y'], scope: 'dialog', help: 'yes' },
  { command: 'no', keys: ['n'], scope: 'dialog', help: 'no' },
  { command: 'confirm', keys: ['enter'], scope: 'dialog', help: 'choose / submit' },
  { command: 'cancel', keys: ['esc'], scope: 'dialog', help: 'cancel' },
  { command: 'nextField', keys: ['tab', 'down'], scope: 'dialog', help: 'next field / option' },
  { command: 'prevField', keys: ['shift+tab', 'up'], scope: 'dialog', help: 'previous field / option' },

  { command: 'confirm', keys: ['enter'], scope: 'input', help: 'accept' },
  { command: 'cancel', keys: ['esc'], scope: 'input', help: 'cancel' },
  { command: 'deleteChar', keys: ['backspace', 'delete'], scope: 'input', help: 'delete a character' },
  { command: 'nextField', keys: ['tab', 'down'], scope: 'input', help: 'next field' },
  { command: 'prevField', keys: ['shift+tab', 'up'], scope: 'input', help: 'previous field' },

  { command: 'confirm', keys: ['enter'], scope: 'prompt', help: 'run (:images :stop web :logs web :update web :run IMAGE :events :q)' },
  { command: 'cancel', keys: ['esc'], scope: 'prompt', help: 'close' },
  { command: 'complete', keys: ['tab'], scope: 'prompt', help: 'complete a pane, action or container name' },
  { command: 'historyPrev', keys: ['up'], scope: 'prompt', help: 'previous command' },
  { command: 'historyNext', keys: ['down'], scope: 'prompt', help: 'next command' },
  { command: 'deleteChar', keys: ['backspace', 'delete'], scope: 'prompt', help: 'delete a character' },
];

/** The command bound to `name` in the first of `scopes` that binds it (scopes in priority order). */
export function matchCommand(name: string, scopes: readonly Scope[], table: readonly Binding[] = BINDINGS): Command | undefined {
  for (const scope of scopes) {
    for (const b of table) if (b.scope === scope && b.keys.includes(name)) return b.command;
  }
  return undefined;
}

/** "q / ctrl+c" as shown in the help and hint line. */
export function keyLabel(keys: readonly string[]): string {
  return keys.map((k) => (k === 'shift+tab' ? 'S-tab' : k === ' ' ? 'space' : k)).join(' / ');
}

/** The first key bound to `command` in `scope`, for hints ("d remove"). */
export function firstKey(command: Command, scopes: readonly Scope[], table: readonly Binding[] = BINDINGS): string {
  for (const scope of scopes) {
    const b = table.find((x) => x.scope === scope && x.command === command);
    if (b) return b.keys[0] ?? '';
  }
  return '';
}
