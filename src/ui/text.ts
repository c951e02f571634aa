/**
 * Fitting text into cells. Widths count code points: container, image and network names are
 * ASCII in practice, and string-width per cell per tick would cost more than the rest of a row.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', ellipsis = '…'): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length > width) {
    const e = Array.from(ellipsis);
    return width <= e.length ? chars.slice(0, width).join('') : chars.slice(0, width - e.length).join('') + ellipsis;
  }
  const pad = ' '.repeat(width - chars.length);
  return align === 'right' ? pad + text : text + pad;
}

export function textWidth(text: string): number {
  return Array.from(text).length;
}

/** Strips SGR sequences (tests and width checks). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
}
