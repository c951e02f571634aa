/** `berth images` / `berth image ls`: REPOSITORY TAG IMAGE ID CREATED SIZE. */
import type { Command } from 'commander';
import type { ImageSummary } from '../engine/api.js';
import { filtersOf, type CliContext } from './context.js';
import { filterOption } from './flags/typed.js';
import { IMAGE_DIGEST_FORMAT, IMAGE_KIND, type ImageRow } from './format/contexts.js';
import { formatList } from './format/list.js';
import { ago, humanSize, shortId } from './format/units.js';

export function imageRows(images: ImageSummary[], noTrunc = false, digests = false): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const img of images) {
    const names = img.repoTags.length ? img.repoTags : ['<none>:<none>'];
    for (const n of names) {
      const colon = n.lastIndexOf(':');
      const repo = n.slice(0, colon);
      const digest = img.repoDigests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1] ?? '<none>';
      rows.push({
        Containers: String(img.containers),
        CreatedAt: new Date(img.created)
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, ' +0000 UTC'),
        CreatedSince: ago(img.created),
        Digest: digests ? digest : '<none>',
        ID: noTrunc ? img.id : shortId(img.id),
        Repository: repo,
        SharedSize: 'N/A',
        Size: humanSize(img.size),
        Tag: n.slice(colon + 1),
        UniqueSize: 'N/A',
        VirtualSize: humanSize(img.size),
      });
    }
  }
  return rows;
}

export function define(cmd: Command, ctx: CliContext): void {
  cmd
    .argument('[REPOSITORY[:TAG]]')
    .option('-a, --all', 'Show all images (default hides intermediate images)')
    .option('--digests', 'Show digests')
    .addOption(filterOption('-f, --filter <filter>', 'Filter output based on conditions provided'))
    .option('--format <string>', "Format output using a custom template: 'table', 'table TEMPLATE', 'json', 'TEMPLATE'")
    .option('--no-trunc', "Don't truncate output")
    .option('-q, --quiet', 'Only show image IDs')
    .action(async (repo: string | undefined, o: { all?: boolean; digests?: boolean; filter?: string[]; format?: string; trunc: boolean; quiet?: boolean }) => {
      const filters = filtersOf(o.filter);
      if (repo) (filters.reference ??= []).push(repo.includes(':') ? repo : `${repo}`);
      const engine = await ctx.engine();
      const images = await engine.images.list({ all: o.all, filters });
      const rows = imageRows(images, !o.trunc, o.digests);
      if (o.quiet) {
        ctx.out([...new Set(rows.map((r) => r.ID))].join('\n'));
        return;
      }
      // docker adds the digest column to a custom table that lacks it.
      let format = o.format;
      if (o.digests && format?.startsWith('table') && format !== 'table' && !format.includes('{{.Digest}}')) format += '\\t{{.Digest}}';
      ctx.out(formatList(rows, format, IMAGE_KIND, o.digests ? { defaultFormat: IMAGE_DIGEST_FORMAT } : {}));
    });
}
