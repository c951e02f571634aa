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

/**
 * "app-2" before "app-10", as people number their containers. Plain code-unit comparison of the
 * non-digit parts: localeCompare goes through ICU, measurable when 500 rows re-sort every tick.
 */
export function naturalCompare(a: string, b: string): number {
  // Char-code scanning, no regex or allocation: 500 rows sort in well under a millisecond.
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const da = ca >= 48 && ca <= 57;
    const db = cb >= 48 && cb <= 57;
    if (da && db) {
      let ea = i;
      let eb = j;
      while (ea < a.length && a.charCodeAt(ea) === 48) ea++; // skip leading zeros
      while (eb < b.length && b.charCodeAt(eb) === 48) eb++;
      let na = ea;
      let nb = eb;
      while (na < a.length && a.charCodeAt(na) >= 48 && a.charCodeAt(na) <= 57) na++;
      while (nb < b.length && b.charCodeAt(nb) >= 48 && b.charCodeAt(nb) <= 57) nb++;
      if (na - ea !== nb - eb) return na - ea - (nb - eb); // more digits = bigger number
      for (let k = 0; k < na - ea; k++) {
        const d = a.charCodeAt(ea + k) - b.charCodeAt(eb + k);
        if (d) return d;
      }
      i = na;
      j = nb;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}
