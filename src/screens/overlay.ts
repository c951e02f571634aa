/** The dialog on top of the current view, if any. At most one; it takes all keys while open. */
import type { FormField } from '../ui/FormDialog.js';
import type { PickerOption } from '../ui/PickerDialog.js';

export type Overlay =
  | { kind: 'confirm'; message: string; onYes: () => void }
  | { kind: 'form'; title: string; fields: readonly FormField[]; onSubmit: (v: Record<string, string>) => string | undefined }
  | { kind: 'picker'; title: string; options: readonly PickerOption[]; initial?: number; onPick: (value: string) => void };

/** Lines the overlay needs, so the table above can shrink by as much. */
export function overlayHeight(o: Overlay | undefined): number {
  if (!o) return 0;
  if (o.kind === 'confirm') return 5;
  if (o.kind === 'form') return o.fields.length + 5;
  return o.options.length + 4;
}
