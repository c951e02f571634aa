/**
 * Signal names as docker accepts them ("SIGTERM", "TERM", "term", "15") → numbers. runc takes
 * either form, but validating here gives the user one clear 'invalid' error instead of runc's.
 */
import { constants } from 'node:os';
import { invalid } from '../errors.js';

const byName = constants.signals as Record<string, number>;
const SIGRTMIN = 34;
const SIGRTMAX = 64;

export function parseSignal(sig: string | number): number {
  if (typeof sig === 'number') return checkNumber(sig, String(sig));
  const s = sig.trim().toUpperCase();
  if (/^\d+$/.test(s)) return checkNumber(Number(s), sig);
  const name = s.startsWith('SIG') ? s : `SIG${s}`;
  // Real-time signals: SIGRTMIN+n / SIGRTMAX-n, as `kill -l` names them.
  const rt = /^SIGRT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name);
  if (rt) {
    const base = rt[1] === 'MIN' ? SIGRTMIN : SIGRTMAX;
    const off = rt[3] ? Number(rt[3]) * (rt[2] === '-' ? -1 : 1) : 0;
    return checkNumber(base + off, sig);
  }
  const n = byName[name];
  if (n === undefined) throw invalid(`invalid signal: ${sig}`);
  return n;
}

function checkNumber(n: number, shown: string): number {
  if (!Number.isInteger(n) || n < 1 || n > SIGRTMAX) throw invalid(`invalid signal: ${shown}`);
  return n;
}
