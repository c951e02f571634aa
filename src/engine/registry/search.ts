/**
 * `search`: Docker Hub's search API (index.docker.io/v1/search) for docker.io, the registry's
 * catalog (`GET /v2/_catalog`, filtered by the term) for any other registry.
 */
import { invalid } from '../errors.js';
import { RegistryClient } from './client.js';
import { isInsecure } from './config.js';

export interface SearchResult {
  name: string;
  description: string;
  stars: number;
  official: boolean;
}

export async function searchRegistry(term: string, limit = 25): Promise<SearchResult[]> {
  // "host:port/term" searches that registry, as docker does
  const slash = term.indexOf('/');
  const first = slash > 0 ? term.slice(0, slash) : '';
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const domain = isHost ? first : 'docker.io';
  const q = isHost ? term.slice(slash + 1) : term;
  if (domain === 'docker.io') {
    const url = `https://index.docker.io/v1/search?q=${encodeURIComponent(q)}&n=${limit}`;
    const client = new RegistryClient({ domain: 'index.docker.io', path: '', actions: ['pull'], credentials: null });
    const res = await client.request('GET', url, { what: 'search' }).catch((e) => {
      throw e;
    });
    const v = (await res.json()) as { results?: unknown };
    if (!Array.isArray(v?.results)) throw invalid('search: unexpected answer from Docker Hub');
    return (v.results as Record<string, unknown>[]).slice(0, limit).map((r) => ({
      name: String(r.name ?? ''),
      description: String(r.description ?? ''),
      stars: Number(r.star_count ?? 0),
      official: r.is_official === true,
    }));
  }
  void isInsecure;
  const client = new RegistryClient({ domain, path: '', actions: ['pull'] });
  const out: SearchResult[] = [];
  let next: string | null = `/v2/_catalog?n=1000`;
  for (let pages = 0; next && pages < 50; pages++) {
    const res: Response = await client.request('GET', next, { what: `catalog of ${domain}` });
    const v = (await res.json()) as { repositories?: unknown };
    if (!Array.isArray(v?.repositories)) throw invalid(`catalog of ${domain}: unexpected answer`);
    for (const r of v.repositories)
      if (typeof r === 'string' && r.includes(q)) out.push({ name: `${domain}/${r}`, description: '', stars: 0, official: false });
    const link = res.headers.get('link');
    const m = link ? /<([^>]+)>/.exec(link) : null;
    next = m ? m[1]! : null;
  }
  return out.slice(0, limit);
}
