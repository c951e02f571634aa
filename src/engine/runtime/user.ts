/**
 * docker's `--user` semantics resolved against the image's own /etc/passwd and /etc/group (as
 * runc's libcontainer/user does it for docker): "name", "uid", "uid:gid", "name:group",
 * "uid:group". A numeric uid need not exist; a name must. Without an explicit group the user's
 * primary gid is used (0 when unknown) and the groups listing the user become supplementary.
 */
import { invalid } from '../errors.js';
import { readScoped } from '../fs/scoped-path.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
  /** The user name when the passwd file knows the uid. */
  name?: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}
interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const MAX_ID = 2 ** 31 - 1;

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(':');
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (f.length < 4 || !isId(f[2]) || !isId(f[3])) continue; // skip malformed lines, as libc does
    out.push({ name: f[0]!, uid, gid, home: f[5] || '/' });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || !isId(f[2])) continue;
    out.push({
      name: f[0]!,
      gid: Number(f[2]),
      members: (f[3] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    });
  }
  return out;
}

function isId(s: string | undefined): boolean {
  return s !== undefined && /^\d+$/.test(s) && Number(s) <= MAX_ID;
}

/**
 * Resolves `spec` (docker's --user) and `groupAdd` (docker's --group-add, names or gids) in the
 * rootfs at `rootfs`.
 */
export function resolveUser(rootfs: string, spec: string | undefined, groupAdd: string[] = []): ResolvedUser {
  const passwd = parsePasswd(readScoped(rootfs, '/etc/passwd') ?? '');
  const groups = parseGroup(readScoped(rootfs, '/etc/group') ?? '');
  const s = (spec ?? '').trim();
  const colon = s.indexOf(':');
  const userPart = colon >= 0 ? s.slice(0, colon) : s;
  const groupPart = colon >= 0 ? s.slice(colon + 1) : '';
  if (colon >= 0 && (userPart === '' || groupPart === '')) throw invalid(`invalid user: ${JSON.stringify(spec)}`);

  let entry: PasswdEntry | undefined;
  let uid: number;
  if (userPart === '') {
    uid = 0;
    entry = passwd.find((p) => p.uid === 0);
  } else if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    if (uid > MAX_ID) throw invalid(`invalid user: uid ${userPart} out of range`);
    entry = passwd.find((p) => p.uid === uid);
  } else {
    entry = passwd.find((p) => p.name === userPart);
    if (!entry) throw invalid(`unable to find user ${userPart}: no matching entries in passwd file`);
    uid = entry.uid;
  }

  let gid: number;
  let additionalGids: number[] = [];
  if (groupPart !== '') {
    gid = lookupGroup(groups, groupPart);
  } else {
    gid = entry?.gid ?? 0;
    if (entry) additionalGids = groups.filter((g) => g.members.includes(entry!.name)).map((g) => g.gid);
  }
  for (const g of groupAdd) additionalGids.push(lookupGroup(groups, g));
  additionalGids = [...new Set(additionalGids)].filter((g) => g !== gid);

  const out: ResolvedUser = { uid, gid, additionalGids, home: entry?.home ?? '/' };
  if (entry) out.name = entry.name;
  return out;
}

function lookupGroup(groups: GroupEntry[], g: string): number {
  if (/^\d+$/.test(g)) {
    const n = Number(g);
    if (n > MAX_ID) throw invalid(`invalid group: gid ${g} out of range`);
    return n;
  }
  const e = groups.find((x) => x.name === g);
  if (!e) throw invalid(`unable to find group ${g}: no matching entries in group file`);
  return e.gid;
}
