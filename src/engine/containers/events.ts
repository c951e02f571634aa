/** Container events as docker reports them: the container id as actor; its name, image and
 *  labels (and the action's own details) as attributes. */
import { recordEvent } from '../events/journal.js';
import type { StateDb } from '../state/db.js';
import type { Container } from './records.js';

export function containerEvent(db: StateDb, c: Container, action: string, extra: Record<string, string> = {}): void {
  recordEvent(db, { type: 'container', action, id: c.id, attributes: { ...c.spec.labels, image: c.image_name, name: c.name, ...extra } });
}
