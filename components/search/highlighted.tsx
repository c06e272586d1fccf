import type { ReactNode } from "react";

/** `value` with the [start, end) ranges wrapped in <mark>. */
export function Highlighted({ value, ranges }: { value: string; ranges: readonly (readonly [number, number])[] }) {
  const merged = [...ranges]
    .map(([a, b]) => [Math.max(0, a), Math.min(value.length, b)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
    .reduce<[number, number][]>((out, [a, b]) => {
      const last = out.at(-1);
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
      return out;
    }, []);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) parts.push(value.slice(at, a));
    parts.push(
      <mark key={a} className="rounded-sm bg-amber-200 px-0.5 text-inherit">
        {value.slice(a, b)}
      </mark>,
    );
    at = b;
  }
  if (at < value.length) parts.push(value.slice(at));
  return <>{parts}</>;
}
