/** Durations in words as docker shows them (ps STATUS "Up 3 minutes", CREATED "2 hours ago"). */

/**
 * docker's units.HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks".
 * Seconds and minutes are truncated and hours rounded, as there (59.9 s is "59 seconds").
 */
export function humanDuration(ms: number): string {
  const s = Math.trunc(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.trunc(ms / 60000);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(ms / 3600000);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(Math.trunc(ms / 3600000) / 24 / 365)} years`;
}
