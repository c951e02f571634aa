/**
 * cgroup v1 cpu.shares ↔ v2 cpu.weight.
 *
 * The OCI config carries shares; on v2 the runtime converts. runc ≤ 1.3.1 (Debian's 1.1.5
 * included) uses the linear map [2, 262144] → [1, 10000]: weight = 1 + (shares − 2)·9999/262142
 * (so the default 1024 becomes 39, not 100). runc ≥ 1.3.2 and crun ≥ 1.23 switched to a
 * log-quadratic map that sends 1024 to 100; `formula: 'quadratic'` follows that one.
 * Going back is lossy (many shares map to one weight): we return the smallest shares value that
 * maps to the weight, so shares → weight → shares → weight is stable.
 */
export type WeightFormula = 'linear' | 'quadratic';

const MIN_SHARES = 2;
const MAX_SHARES = 262144;
const MAX_WEIGHT = 10000;

export function sharesToWeight(shares: number, formula: WeightFormula = 'linear'): number {
  if (shares === 0) return 0; // 0 = unset, as runc treats it
  if (formula === 'linear') {
    const s = Math.min(Math.max(shares, MIN_SHARES), MAX_SHARES);
    return 1 + Math.floor(((s - MIN_SHARES) * 9999) / 262142);
  }
  if (shares <= MIN_SHARES) return 1;
  if (shares >= MAX_SHARES) return MAX_WEIGHT;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.ceil(Math.pow(10, exponent));
}

export function weightToShares(weight: number, formula: WeightFormula = 'linear'): number {
  if (weight <= 0) return 0;
  const w = Math.min(weight, MAX_WEIGHT);
  if (formula === 'linear') {
    // Smallest s with 1 + floor((s − 2)·9999/262142) = w.
    return MIN_SHARES + Math.ceil(((w - 1) * 262142) / 9999);
  }
  // Monotonic: binary-search the smallest shares that reaches the weight.
  let lo = MIN_SHARES;
  let hi = MAX_SHARES;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sharesToWeight(mid, 'quadratic') >= w) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
