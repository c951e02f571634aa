/** Repeated `KEY=VALUE` flags (--label, -o/--opt) as a map; a bare KEY means an empty value. */
export function keyValues(list: string[] = [], requireValue?: string): Record<string, string> {
  return Object.fromEntries(
    list.map((l) => {
      const eq = l.indexOf('=');
      if (requireValue && eq <= 0) throw new Error(`invalid key/value pair format in ${requireValue}: ${l}`);
      return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
    }),
  );
}
