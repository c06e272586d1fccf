import { StatusBadge } from "../ui/status-badge.tsx";
import { LocalTime } from "../ui/local-time.tsx";
import type { ReactNode } from "react";
import { EmptyState } from "../ui/empty-state.tsx";
import { isOverdue } from "../../lib/orders/ship-by.ts";
import { TrackingLink } from "./tracking-link.tsx";

type Shipment = {
  id: number;
  status: string;
  dropship: boolean;
  carrier: string | null;
  trackingNumber: string | null;
  shipBy: number;
  promisedShipBy: number | null;
  shippedAt: number | null;
  deliveredAt: number | null;
  locationName: string;
  locationKind: string;
  lines: { id: number; orderLineId: number; qty: number; qtyMoved: number; qtyBackordered: number; qtyCancelled: number }[];
};
type Line = { id: number; sku: string; name: string };
type Backorder = { id: number; orderLineId: number; qty: number; status: string; customerChoice: string; createdAt: number };

const KIND_LABEL: Record<string, string> = { warehouse: "Warehouse", "3pl": "3PL", dropship: "Dropship supplier" };

/** What became of units that left a pending shipment: the lines stay as history, struck through. */
const LEFT_AS = [
  ["qtyMoved", "moved", "moved to another shipment"],
  ["qtyBackordered", "backordered", "backordered"],
  ["qtyCancelled", "cancelled", "cancelled"],
] as const;

export function Shipments({
  shipments,
  lines,
  backorders,
  shipmentActions,
  backorderActions,
  empty,
  now,
}: {
  /** What to say when the order has no shipment and no backorder (it depends on why: not routed yet, held, cancelled). */
  empty: { title: string; text: string };
  now: number;
  shipments: Shipment[];
  lines: Line[];
  backorders: Backorder[];
  /** Buttons the viewer may use on a shipment / backorder, rendered by the page. */
  shipmentActions?: (shipmentId: number) => ReactNode;
  backorderActions?: (backorderId: number) => ReactNode;
}) {
  const lineById = new Map(lines.map((l) => [l.id, l]));
  if (shipments.length === 0 && backorders.length === 0) {
    return <EmptyState title={empty.title}>{empty.text}</EmptyState>;
  }
  const waiting = backorders.filter((b) => b.status === "pending");
  const settled = backorders.filter((b) => b.status !== "pending");
  return (
    <div className="space-y-3">
      {shipments.map((s) => (
        <article key={s.id} data-testid="shipment" className="rounded-md border border-slate-200 p-3">
          <header className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-medium">#{s.id}</span>
            <span className="text-slate-600">
              from {s.locationName} <span className="text-xs text-slate-500">({KIND_LABEL[s.locationKind] ?? s.locationKind})</span>
            </span>
            <StatusBadge status={s.status} />
            {isOverdue(s, now) ? (
              <span data-testid="shipment-overdue" className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-800">
                Overdue
              </span>
            ) : null}
            <span className="ml-auto text-xs text-slate-600" data-testid="shipment-when">
              {s.deliveredAt ? (
                <>Delivered <LocalTime ms={s.deliveredAt} /></>
              ) : s.shippedAt ? (
                <>Shipped <LocalTime ms={s.shippedAt} /></>
              ) : s.status === "cancelled" ? null : s.promisedShipBy !== null && s.promisedShipBy !== s.shipBy ? (
                <>
                  Promised <LocalTime ms={s.promisedShipBy} />, now ship by <LocalTime ms={s.shipBy} />
                </>
              ) : (
                <>Ship by <LocalTime ms={s.shipBy} /></>
              )}
            </span>
          </header>
          {s.trackingNumber ? (
            <p className="mt-1 text-xs text-slate-600">
              {s.carrier} · <TrackingLink carrier={s.carrier} trackingNumber={s.trackingNumber} testId="tracking-number" />
            </p>
          ) : null}
          <ul className="mt-2 space-y-0.5 text-sm">
            {s.lines.flatMap((sl) => {
              const line = lineById.get(sl.orderLineId);
              const live =
                sl.qty > 0 ? (
                  <li key={sl.id} data-testid="shipment-line" className="flex gap-2">
                    <span className="tabular-nums">{sl.qty}×</span>
                    <span className="font-mono text-xs leading-5 whitespace-nowrap">{line?.sku}</span>
                    <span className="text-slate-600">{line?.name}</span>
                  </li>
                ) : null;
              const left = LEFT_AS.filter(([field]) => sl[field] > 0).map(([field, kind, label]) => (
                <li key={`${sl.id}-${kind}`} data-testid="shipment-line-left" data-left={kind} className="flex flex-wrap gap-2 text-slate-500">
                  <s className="flex gap-2">
                    <span className="tabular-nums">{sl[field]}×</span>
                    <span className="font-mono text-xs leading-5 whitespace-nowrap">{line?.sku}</span>
                    <span>{line?.name}</span>
                  </s>
                  <span className="text-xs leading-5">{label}</span>
                </li>
              ));
              return [live, ...left];
            })}
            {s.lines.length === 0 ? <li className="text-xs text-slate-500">No items recorded: emptied before shipments kept their item history.</li> : null}
          </ul>
          {shipmentActions?.(s.id)}
        </article>
      ))}
      {waiting.length ? (
        <div data-testid="backorders" className="rounded-md border border-amber-200 bg-amber-50 p-3">
          <h3 className="text-sm font-semibold text-amber-900">Backordered</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {waiting.map((b) => (
              <li key={b.id} className="flex flex-wrap items-center gap-2">
                <span className="tabular-nums">{b.qty}×</span>
                <span className="font-mono text-xs whitespace-nowrap">{lineById.get(b.orderLineId)?.sku}</span>
                <StatusBadge status={b.status} />
                <span className="text-xs text-amber-900">customer: {b.customerChoice.replaceAll("_", " ")}</span>
                <span className="ml-auto text-xs text-amber-900">since <LocalTime ms={b.createdAt} /></span>
                {backorderActions?.(b.id)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {settled.length ? (
        <div data-testid="backorders-settled" className="rounded-md border border-slate-200 p-3">
          <h3 className="text-sm font-semibold text-slate-700">Earlier backorders</h3>
          <ul className="mt-1 space-y-1 text-sm text-slate-600">
            {settled.map((b) => (
              <li key={b.id} className="flex flex-wrap items-center gap-2">
                <span className="tabular-nums">{b.qty}×</span>
                <span className="font-mono text-xs whitespace-nowrap">{lineById.get(b.orderLineId)?.sku}</span>
                <StatusBadge status={b.status === "allocated" ? "filled" : b.status} />
                <span className="ml-auto text-xs">since <LocalTime ms={b.createdAt} /></span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
