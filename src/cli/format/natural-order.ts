/**
 * docker's listing order for networks, volumes and contexts (fvbommel/sortorder.NaturalLess):
 * runs of digits compare as numbers ("net2" before "net10"), digits before other characters,
 * the rest bytewise.
 */
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

export function naturalLess(a: string, b: string): boolean {
  const s1 = Buffer.from(a, 'utf8');
  const s2 = Buffer.from(b, 'utf8');
  let i = 0;
  let j = 0;
  while (i < s1.length && j < s2.length) {
    const c1 = s1[i]!;
    const c2 = s2[j]!;
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i++;
      j++;
      continue;
    }
    while (i < s1.length && s1[i] === 0x30) i++;
    while (j < s2.length && s2[j] === 0x30) j++;
    const n1 = i;
    const n2 = j;
    while (i < s1.length && isDigit(s1[i]!)) i++;
    while (j < s2.length && isDigit(s2[j]!)) j++;
    if (i - n1 !== j - n2) return i - n1 < j - n2;
    const r1 = s1.subarray(n1, i).toString('latin1');
    const r2 = s2.subarray(n2, j).toString('latin1');
    if (r1 !== r2) return r1 < r2;
    if (n1 !== n2) return n1 < n2;
  }
  return s1.length < s2.length;
}

/** A comparator for Array.prototype.sort by name. */
export const byNaturalName = <T extends { name: string }>(x: T, y: T): number => (naturalLess(x.name, y.name) ? -1 : naturalLess(y.name, x.name) ? 1 : 0);
