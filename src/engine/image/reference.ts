/**
 * Image references parsed and normalized as docker's distribution/reference does:
 * `busybox` → docker.io/library/busybox:latest; `localhost:5000/app@sha256:…`; tags and digests.
 */
import { invalid } from '../errors.js';

export const DEFAULT_REGISTRY = 'docker.io';
export const DEFAULT_TAG = 'latest';

export interface Reference {
  /** Registry host[:port]. */
  domain: string;
  /** Repository path within the registry, e.g. library/busybox. */
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:.]+\](?::[0-9]+)?$/;
const HEX64 = /^[a-f0-9]{64}$/;

function bad(ref: string, why = 'invalid reference format'): Error {
  return invalid(ref === '' ? why : `${why}: "${ref}"`);
}

/** Parses a reference, filling docker's defaults for registry and (when no digest) tag. */
export function parseReference(ref: string): Reference {
  if (ref.length === 0 || ref.length > 512 || /\s/.test(ref)) throw bad(ref);
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(ref);
    if (digest.startsWith('sha256:') && !HEX64.test(digest.slice(7))) throw bad(ref);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(ref);
  }
  if (rest === '') throw bad(ref);
  if (HEX64.test(rest) && tag === undefined && digest === undefined) {
    throw invalid(`invalid repository name (${rest}), cannot specify 64-byte hexadecimal strings`);
  }
  let domain = DEFAULT_REGISTRY;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(domain)) throw bad(ref);
    }
  }
  if (domain === 'index.docker.io') domain = DEFAULT_REGISTRY;
  if (path !== path.toLowerCase()) throw bad(ref, 'invalid reference format: repository name must be lowercase');
  const parts = path.split('/');
  if (parts.some((p) => !COMPONENT.test(p))) throw bad(ref);
  if (domain === DEFAULT_REGISTRY && parts.length === 1) path = `library/${path}`;
  if (`${domain}/${path}`.length > 255) throw bad(ref, 'repository name must not be more than 255 characters');
  if (tag === undefined && digest === undefined) tag = DEFAULT_TAG;
  return { domain, path, tag, digest };
}

/** A bare repository name, with neither tag nor digest (docker's reference.IsNameOnly). */
export function isNameOnly(s: string): boolean {
  return !s.includes('@') && !s.slice(s.lastIndexOf('/') + 1).includes(':');
}

/** Full repository name: docker.io/library/busybox. */
export function repositoryOf(r: Reference): string {
  return `${r.domain}/${r.path}`;
}

/** Canonical string: docker.io/library/busybox:latest, or …@sha256:… */
export function canonical(r: Reference): string {
  let s = repositoryOf(r);
  if (r.tag !== undefined) s += `:${r.tag}`;
  if (r.digest !== undefined) s += `@${r.digest}`;
  return s;
}

/** Docker's familiar short form: busybox:latest, localhost:5000/app:1. */
export function familiarRepository(repository: string): string {
  if (repository.startsWith(`${DEFAULT_REGISTRY}/library/`)) return repository.slice(`${DEFAULT_REGISTRY}/library/`.length);
  if (repository.startsWith(`${DEFAULT_REGISTRY}/`)) return repository.slice(`${DEFAULT_REGISTRY}/`.length);
  return repository;
}

/** Splits a stored canonical "repo:tag" into its familiar repository and tag. */
export function splitTagged(name: string): { repository: string; tag: string } {
  const colon = name.lastIndexOf(':');
  return { repository: familiarRepository(name.slice(0, colon)), tag: name.slice(colon + 1) };
}

export function familiar(name: string): string {
  const at = name.indexOf('@');
  if (at >= 0) return `${familiarRepository(name.slice(0, at))}${name.slice(at)}`;
  const { repository, tag } = splitTagged(name);
  return `${repository}:${tag}`;
}

/** True when `s` looks like an image id (full, "sha256:"-prefixed, or a short hex prefix). */
export function looksLikeId(s: string): boolean {
  return /^(sha256:)?[a-f0-9]{1,64}$/.test(s);
}
