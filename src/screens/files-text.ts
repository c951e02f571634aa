/** Whether file content is shown as text, pure (kept apart from files-source, which is loaded lazily). */

/** Text or not: a NUL byte, or many bytes that are not UTF-8, in the first block. */
export function looksBinary(data: Buffer): boolean {
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return true;
  const text = head.toString('utf8');
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad > 8 && bad > head.length / 100;
}
