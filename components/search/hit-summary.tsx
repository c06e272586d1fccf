import type { SearchField, SearchHit } from "../../lib/search/types.ts";
import { StatusBadge } from "../ui/status-badge.tsx";
import { LocalTime } from "../ui/local-time.tsx";
import { Highlighted } from "./highlighted.tsx";
import { formatMoney } from "../../lib/format.ts";

const LABELS: Record<SearchField, string> = {
  number: "Order",
  name: "Name",
  email: "Email",
  phone: "Phone",
  sku: "SKU",
  product: "Product",
  tracking: "Tracking",
  city: "City",
  postcode: "Postcode",
};

/** Ranges for `value` from the first match on `field` with that exact value. */
function rangesFor(hit: SearchHit, field: SearchField, value: string) {
  return hit.matched.find((m) => m.field === field && m.value === value)?.ranges ?? [];
}

/**
 * One search hit: number, customer and status; then what tells namesakes apart (email when the role may
 * see it, city, date, total when it may, what was ordered), then where it matched, with the matched text marked.
 */
export function HitSummary({ hit }: { hit: SearchHit }) {
  const extra = hit.matched.filter(
    (m) =>
      !(m.field === "number" && m.value === hit.number) &&
      !(m.field === "name" && m.value === hit.customerName) &&
      !(m.field === "city" && m.value === hit.city) &&
      !(m.field === "email" && m.value === hit.email) &&
      !(m.field === "product" && hit.items.includes(m.value)),
  );
  const product = hit.matched.find((m) => m.field === "product" && hit.items.includes(m.value));
  return (
    <div className="min-w-0 flex-1">
      <div className="flex items-center gap-2">
        <span className="font-mono text-sm font-medium text-indigo-700" data-testid="hit-number">
          <Highlighted value={hit.number} ranges={rangesFor(hit, "number", hit.number)} />
        </span>
        <span className="truncate text-sm text-slate-900" data-testid="hit-customer">
          <Highlighted value={hit.customerName} ranges={rangesFor(hit, "name", hit.customerName)} />
        </span>
        <span className="ml-auto shrink-0">
          <StatusBadge status={hit.status} testId="hit-status" />
        </span>
      </div>
      <div className="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-slate-600">
        {hit.email ? (
          <span data-testid="hit-email" className="truncate">
            <Highlighted value={hit.email} ranges={rangesFor(hit, "email", hit.email)} />
          </span>
        ) : null}
        <span data-testid="hit-city">
          <Highlighted value={hit.city} ranges={rangesFor(hit, "city", hit.city)} />, {hit.country}
        </span>
        <LocalTime ms={hit.placedAt} />
        {hit.total !== null ? (
          <span data-testid="hit-total" className="font-medium text-slate-700 tabular-nums">
            {formatMoney(hit.total, hit.currency)}
          </span>
        ) : null}
      </div>
      <div className="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-slate-500">
        <span data-testid="hit-items" className="truncate">
          {product ? <ItemsWithMatch items={hit.items} match={product} /> : hit.items}
        </span>
        {extra.slice(0, 3).map((m, i) => (
          <span key={`${m.field}-${i}`} className="truncate" data-testid="hit-match" data-field={m.field}>
            <span className="text-slate-400">{LABELS[m.field]}:</span> <Highlighted value={m.value} ranges={m.ranges} />
          </span>
        ))}
      </div>
    </div>
  );
}

/** The items line with the product name that matched marked where it appears. */
function ItemsWithMatch({ items, match }: { items: string; match: SearchHit["matched"][number] }) {
  const at = items.indexOf(match.value);
  return (
    <>
      {items.slice(0, at)}
      <Highlighted value={match.value} ranges={match.ranges} />
      {items.slice(at + match.value.length)}
    </>
  );
}
