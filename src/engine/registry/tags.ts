/**
 * A repository's tags (`GET /v2/<name>/tags/list`, paged through the Link header as the
 * distribution spec says), for `pull --all-tags`.
 */
import { invalid } from '../errors.js';
import { familiarRepository, parseReference, repositoryOf } from '../image/reference.js';
import { RegistryClient } from './client.js';
import type { Credentials } from './credentials.js';

export async function listTags(repo: string, opts: { credentials?: Credentials; signal?: AbortSignal } = {}): Promise<string[]> {
  const ref = parseReference(repo);
  const label = familiarRepository(repositoryOf(ref));
  const client = new RegistryClient({
    domain: ref.domain,
    path: ref.path,
    actions: ['pull'],
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const tags: string[] = [];
  let next: string | null = `/v2/${ref.path}/tags/list?n=1000`;
  for (let pages = 0; next && pages < 100; pages++) {
    const res: Response = await client.request('GET', next, { what: `tags of ${label}` });
    const v = (await res.json()) as { tags?: unknown };
    if (v.tags !== null && v.tags !== undefined && (!Array.isArray(v.tags) || !v.tags.every((t) => typeof t === 'string')))
      throw invalid(`tags of ${label}: unexpected answer from the registry`);
    tags.push(...((v.tags as string[] | null | undefined) ?? []));
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.headers.get('link') ?? '');
    next = m ? m[1]! : null;
  }
  return tags;
}
