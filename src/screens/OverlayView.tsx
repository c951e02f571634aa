/** Renders the open dialog; every dialog closes itself through `onClose`. */
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { FormDialog } from '../ui/FormDialog.js';
import { PickerDialog } from '../ui/PickerDialog.js';
import type { Overlay } from './overlay.js';

export function OverlayView(props: { overlay: Overlay; width: number; onClose: () => void }) {
  const { overlay: o, width, onClose } = props;
  if (o.kind === 'confirm') {
    return (
      <ConfirmDialog
        message={o.message}
        width={width}
        onYes={() => {
          onClose();
          o.onYes();
        }}
        onNo={onClose}
      />
    );
  }
  if (o.kind === 'form') {
    return (
      <FormDialog
        title={o.title}
        fields={o.fields}
        width={width}
        onCancel={onClose}
        onSubmit={(v) => {
          const err = o.onSubmit(v);
          if (!err) onClose();
          return err;
        }}
      />
    );
  }
  return (
    <PickerDialog
      title={o.title}
      options={o.options}
      initial={o.initial}
      width={width}
      onCancel={onClose}
      onPick={(v) => {
        onClose();
        o.onPick(v);
      }}
    />
  );
}
