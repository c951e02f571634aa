/**
 * Every command by its docker name → the file that implements it (src/cli/<file>.ts), with a
 * one-line summary for `berth --help`. Files are named by docker's canonical management-command
 * form (`container-run` serves `berth run` and `berth container run`). Modules load lazily so a
 * command starts without importing the others.
 */
export interface CommandEntry {
  file: string;
  summary: string;
  /** Shown in `berth --help` under this heading. */
  group: 'Common' | 'Management' | 'Images' | 'Containers' | 'System';
}

export const COMMANDS: Record<string, CommandEntry> = {
  // images
  'image ls': { file: 'image-ls', summary: 'List images', group: 'Images' },
  'image import': { file: 'image-import', summary: 'Import the contents from a tarball to create a filesystem image', group: 'Images' },
  'image load': { file: 'image-load', summary: 'Load an image from a tar archive or STDIN', group: 'Images' },
  'image save': { file: 'image-save', summary: 'Save one or more images to a tar archive', group: 'Images' },
  'image tag': { file: 'image-tag', summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', group: 'Images' },
  'image rm': { file: 'image-rm', summary: 'Remove one or more images', group: 'Images' },
  'image prune': { file: 'image-prune', summary: 'Remove unused images', group: 'Images' },
  'image inspect': { file: 'image-inspect', summary: 'Display detailed information on one or more images', group: 'Images' },
  'image history': { file: 'image-history', summary: 'Show the history of an image', group: 'Images' },
  // system
  inspect: { file: 'inspect', summary: 'Return low-level information on objects', group: 'System' },
  'system info': { file: 'system-info', summary: 'Display system-wide information', group: 'System' },
  'system prune': { file: 'system-prune', summary: 'Remove unused data', group: 'System' },
  version: { file: 'version', summary: 'Show the berth version information', group: 'System' },
};

/** Docker's shortcuts and synonyms → canonical names. */
export const ALIASES: Record<string, string> = {
  images: 'image ls',
  'image list': 'image ls',
  import: 'image import',
  load: 'image load',
  save: 'image save',
  tag: 'image tag',
  rmi: 'image rm',
  'image remove': 'image rm',
  history: 'image history',
  info: 'system info',
};

/** Finds the command named by the first words of argv; returns it and the words it used. */
export function lookup(words: string[]): { name: string; entry: CommandEntry; used: number } | undefined {
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const name = words.slice(0, n).join(' ');
    const canonicalName = COMMANDS[name] ? name : ALIASES[name];
    if (canonicalName && COMMANDS[canonicalName]) return { name: canonicalName, entry: COMMANDS[canonicalName], used: n };
  }
  return undefined;
}
