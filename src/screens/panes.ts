/** The four panes, in Tab / number-key order. */
export type PaneId = 'containers' | 'images' | 'networks' | 'volumes';

export const PANES: readonly PaneId[] = ['containers', 'images', 'networks', 'volumes'];

export const PANE_TITLES: Record<PaneId, string> = {
  containers: 'Containers',
  images: 'Images',
  networks: 'Networks',
  volumes: 'Volumes',
};

export function cyclePane(p: PaneId, step: 1 | -1): PaneId {
  const i = PANES.indexOf(p);
  return PANES[(i + step + PANES.length) % PANES.length]!;
}
