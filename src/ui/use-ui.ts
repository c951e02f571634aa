import { useContext } from 'react';
import { UiContext, type UiStyle } from './ui-context.js';

/** The current theme and glyph set. */
export function useUi(): UiStyle {
  return useContext(UiContext);
}
