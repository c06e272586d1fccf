/**
 * How a range of instants [from, to) is read from the hourly rollups: the whole UTC hours inside it from
 * the rollup (`hours`, as hour keys = epoch ms / 3,600,000, `to` exclusive), and the partial hours at
 * either end (`edges`, instant ranges) from the base table over its time index. A day in any zone with a
 * whole-hour offset has no edges; a zone with a :30 or :45 offset reads at most two partial hours.
 */
const HOUR = 3_600_000;

export type HourSplit = { hours: { from: number; to: number } | null; edges: { from: number; to: number }[] };

export function splitByHour({ from, to }: { from: number; to: number }): HourSplit {
  if (!(to > from)) return { hours: null, edges: [] };
  const first = Math.ceil(from / HOUR);
  const last = Math.floor(to / HOUR);
  if (first >= last) return { hours: null, edges: [{ from, to }] };
  const edges: { from: number; to: number }[] = [];
  if (from < first * HOUR) edges.push({ from, to: first * HOUR });
  if (last * HOUR < to) edges.push({ from: last * HOUR, to });
  return { hours: { from: first, to: last }, edges };
}

/**
 * A range read both ways: `rollup` over its whole hours (when it has any), `base` over each partial hour
 * at its ends; the rows of both, for the caller to add up (sumByKey).
 */
export function readByHour<T>(range: { from: number; to: number }, rollup: (hours: { from: number; to: number }) => T[], base: (edge: { from: number; to: number }) => T[]): T[] {
  const { hours, edges } = splitByHour(range);
  return [...(hours ? rollup(hours) : []), ...edges.flatMap(base)];
}

/** Rows of the same `key` added into one, every other (numeric) column summed; in order of first appearance. */
export function sumByKey<T extends Record<string, unknown>, K extends keyof T>(rows: T[], key: K): T[] {
  const by = new Map<T[K], T>();
  for (const r of rows) {
    const t = by.get(r[key]);
    if (!t) by.set(r[key], { ...r });
    else for (const c of Object.keys(r) as (keyof T)[]) if (c !== key) (t[c] as number) = (t[c] as number) + (r[c] as number);
  }
  return [...by.values()];
}
