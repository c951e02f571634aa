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
  /** Internal commands (conmon's exit hook) stay out of `--help`. */
  hidden?: boolean;
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
  'image pull': { file: 'image-pull', summary: 'Download an image from a registry', group: 'Common' },
  'image push': { file: 'image-push', summary: 'Upload an image to a registry', group: 'Common' },
  'image build': { file: 'image-build', summary: 'Build an image from a Dockerfile', group: 'Common' },
  'builder prune': { file: 'builder-prune', summary: 'Remove build cache', group: 'Images' },
  login: { file: 'login', summary: 'Log in to a registry', group: 'Common' },
  logout: { file: 'logout', summary: 'Log out from a registry', group: 'Common' },
  search: { file: 'search', summary: "Search Docker Hub (or a registry's catalog) for images", group: 'Common' },
  // containers
  'container create': { file: 'container-create', summary: 'Create a new container', group: 'Containers' },
  'container run': { file: 'container-run', summary: 'Create and run a new container from an image', group: 'Common' },
  'container start': { file: 'container-start', summary: 'Start one or more stopped containers', group: 'Containers' },
  'container stop': { file: 'container-stop', summary: 'Stop one or more running containers', group: 'Containers' },
  'container restart': { file: 'container-restart', summary: 'Restart one or more containers', group: 'Containers' },
  'container kill': { file: 'container-kill', summary: 'Kill one or more running containers', group: 'Containers' },
  'container pause': { file: 'container-pause', summary: 'Pause all processes within one or more containers', group: 'Containers' },
  'container unpause': { file: 'container-unpause', summary: 'Unpause all processes within one or more containers', group: 'Containers' },
  'container rm': { file: 'container-rm', summary: 'Remove one or more containers', group: 'Containers' },
  'container rename': { file: 'container-rename', summary: 'Rename a container', group: 'Containers' },
  'container ls': { file: 'container-ls', summary: 'List containers', group: 'Common' },
  'container inspect': { file: 'container-inspect', summary: 'Display detailed information on one or more containers', group: 'Containers' },
  'container logs': { file: 'container-logs', summary: 'Fetch the logs of a container', group: 'Containers' },
  'container wait': { file: 'container-wait', summary: 'Block until one or more containers stop, then print their exit codes', group: 'Containers' },
  'container top': { file: 'container-top', summary: 'Display the running processes of a container', group: 'Containers' },
  'container prune': { file: 'container-prune', summary: 'Remove all stopped containers', group: 'Containers' },
  'container exec': { file: 'container-exec', summary: 'Execute a command in a running container', group: 'Common' },
  'container attach': {
    file: 'container-attach',
    summary: 'Attach local standard input, output, and error streams to a running container',
    group: 'Containers',
  },
  'container commit': { file: 'container-commit', summary: "Create a new image from a container's changes", group: 'Containers' },
  'container cp': { file: 'container-cp', summary: 'Copy files/folders between a container and the local filesystem', group: 'Containers' },
  'container stats': { file: 'container-stats', summary: 'Display a live stream of container(s) resource usage statistics', group: 'Containers' },
  'container update': { file: 'container-update', summary: 'Update configuration of one or more containers', group: 'Containers' },
  'container port': { file: 'container-port', summary: 'List port mappings or a specific mapping for the container', group: 'Containers' },
  'container diff': { file: 'container-diff', summary: "Inspect changes to files or directories on a container's filesystem", group: 'Containers' },
  'container export': { file: 'container-export', summary: "Export a container's filesystem as a tar archive", group: 'Containers' },
  'container cleanup': { file: 'container-cleanup', summary: 'Release what an exited container held (run by conmon)', group: 'Containers', hidden: true },
  // volumes
  'volume create': { file: 'volume-create', summary: 'Create a volume', group: 'Management' },
  'volume ls': { file: 'volume-ls', summary: 'List volumes', group: 'Management' },
  'volume inspect': { file: 'volume-inspect', summary: 'Display detailed information on one or more volumes', group: 'Management' },
  'volume rm': { file: 'volume-rm', summary: 'Remove one or more volumes', group: 'Management' },
  'volume prune': { file: 'volume-prune', summary: 'Remove unused local volumes', group: 'Management' },
  // networks
  'network create': { file: 'network-create', summary: 'Create a network', group: 'Management' },
  'network ls': { file: 'network-ls', summary: 'List networks', group: 'Management' },
  'network inspect': { file: 'network-inspect', summary: 'Display detailed information on one or more networks', group: 'Management' },
  'network rm': { file: 'network-rm', summary: 'Remove one or more networks', group: 'Management' },
  'network prune': { file: 'network-prune', summary: 'Remove all unused networks', group: 'Management' },
  'network connect': { file: 'network-connect', summary: 'Connect a container to a network', group: 'Management' },
  'network disconnect': { file: 'network-disconnect', summary: 'Disconnect a container from a network', group: 'Management' },
  // contexts (which daemon: the embedded engine or a Docker-API host)
  'context create': { file: 'context-create', summary: 'Create a context', group: 'Management' },
  'context ls': { file: 'context-ls', summary: 'List contexts', group: 'Management' },
  'context use': { file: 'context-use', summary: 'Set the current context', group: 'Management' },
  'context rm': { file: 'context-rm', summary: 'Remove one or more contexts', group: 'Management' },
  'context inspect': { file: 'context-inspect', summary: 'Display detailed information on one or more contexts', group: 'Management' },
  // system
  'system reset': { file: 'system-reset', summary: 'Remove every container, image, volume and network of this state root', group: 'System' },
  inspect: { file: 'inspect', summary: 'Return low-level information on objects', group: 'System' },
  'system info': { file: 'system-info', summary: 'Display system-wide information', group: 'System' },
  'system prune': { file: 'system-prune', summary: 'Remove unused data', group: 'System' },
  'system events': { file: 'events', summary: 'Get real time events from the server', group: 'System' },
  'system df': { file: 'system-df', summary: 'Show docker disk usage', group: 'System' },
  'system service': { file: 'system-service', summary: "Serve docker's Engine API for this engine on a socket", group: 'System' },
  'system dial-stdio': { file: 'system-dial-stdio', summary: 'One Engine API connection over stdin and stdout (for ssh:// hosts)', group: 'System' },
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
  pull: 'image pull',
  push: 'image push',
  build: 'image build',
  'builder build': 'image build',
  info: 'system info',
  create: 'container create',
  run: 'container run',
  start: 'container start',
  stop: 'container stop',
  restart: 'container restart',
  kill: 'container kill',
  pause: 'container pause',
  unpause: 'container unpause',
  rm: 'container rm',
  'container remove': 'container rm',
  rename: 'container rename',
  ps: 'container ls',
  'container ps': 'container ls',
  'container list': 'container ls',
  logs: 'container logs',
  wait: 'container wait',
  top: 'container top',
  exec: 'container exec',
  attach: 'container attach',
  commit: 'container commit',
  cp: 'container cp',
  stats: 'container stats',
  update: 'container update',
  port: 'container port',
  diff: 'container diff',
  export: 'container export',
  events: 'system events',
  'volume list': 'volume ls',
  'network list': 'network ls',
  'network remove': 'network rm',
  'volume remove': 'volume rm',
  'context list': 'context ls',
  'context remove': 'context rm',
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
