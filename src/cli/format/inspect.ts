/** Prints inspect documents as docker does: a JSON array (4-space indent) or a template per item. */
import { applyTemplate } from './template.js';

export function formatInspect(docs: unknown[], format?: string): string {
  if (!format) return `${JSON.stringify(docs, null, 4)}\n`;
  if (format === 'json') return docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
  return docs.map((d) => applyTemplate(format, d)).join('\n') + '\n';
}
