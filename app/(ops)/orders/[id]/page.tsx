import type { Metadata } from "next";
import { Link } from "../../../../components/ui/link.tsx";
import { notFound } from "next/navigation";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { availableByLocation, findOrderIdByNumber, getOrderDetail, routingHeld } from "../../../../db/queries/orders.ts";
import { orderNumberOf } from "../../../../lib/search/normalize.ts";
import { readRefundLimits } from "../../../../db/queries/ledger.ts";
import { database } from "../../../../db/index.ts";
import { OrderVersion } from "../../../../components/orders/actions/order-version.tsx";
import { orderCapabilities } from "../../../../lib/orders/capabilities.ts";
import { OrderActions } from "../../../../components/orders/actions/order-actions.tsx";
import { ShipmentActions, type MoveTarget } from "../../../../components/orders/actions/shipment-actions.tsx";
import { BackorderChoice, NoteForm, RefundDecision } from "../../../../components/orders/actions/small-actions.tsx";
import { customerView, withoutPayment } from "../../../../lib/orders/customer-view.ts";
import { StatusBadge } from "../../../../components/ui/status-badge.tsx";
import { LocalTime } from "../../../../components/ui/local-time.tsx";
import { Card } from "../../../../components/ui/card.tsx";
import { OrderLines } from "../../../../components/orders/order-lines.tsx";
import { Shipments } from "../../../../components/orders/shipments.tsx";
import { Totals } from "../../../../components/orders/totals.tsx";
import { Timeline } from "../../../../components/orders/timeline.tsx";
import { rawPayloadsFor } from "../../../../lib/intake/timeline-view.ts";
import { decodePathParam } from "../../../../lib/path-params.ts";
import { fromParam, ordersListHref, withFrom } from "../../../../lib/orders/list-link.ts";

type Params = { params: Promise<{ id: string }>; searchParams?: Promise<Record<string, string | string[] | undefined>> };

function resolveId(raw: string): number | null {
  const decoded = decodePathParam(raw);
  if (decoded === null) return null;
  // "/orders/100001", "/orders/sy_100001": the order number first (lib/search/normalize.ts), then an internal id.
  const byNumber = findOrderIdByNumber({ number: orderNumberOf(decoded) ?? decoded });
  if (byNumber !== null || !/^\d+$/.test(decoded)) return byNumber;
  return Number(decoded);
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: decodePathParam((await params).id) ?? "Order not found" };
}

export default async function OrderPage({ params, searchParams }: Params) {
  const user = await requirePermission("orders:read");
  const id = resolveId((await params).id);
  const detail = id === null ? null : getOrderDetail({ id });
  if (!detail) notFound();
  const { order, address } = detail;
  const customer = customerView(detail.customer, user);
  const showPayment = can(user, "orders:read_payment");
  const caps = orderCapabilities(detail, user);
  // Opened from a search or a status chip: "← Orders" and the customer link keep it (lib/orders/list-link.ts).
  const from = fromParam((await searchParams)?.from);
  const pendingShipments = detail.shipments.filter((s) => s.status === "pending");
  const lineProduct = new Map(detail.lines.map((l) => [l.id, l]));
  const now = Date.now();
  const empty =
    order.status === "cancelled"
      ? { title: "No shipments", text: "The order was cancelled before anything was routed." }
      : order.status === "paid" && routingHeld({ orderId: order.id })
        ? { title: "Held by routing", text: "No location, supplier or backorder could take this order; a manager decides (see the timeline and alerts)." }
        : order.status === "pending" || order.status === "payment_processing" || order.status === "paid"
          ? { title: "Not routed yet", text: "Shipments appear once the order is paid and routed." }
          : { title: "No shipments", text: "Nothing is recorded as shipping for this order." };
  const targets: MoveTarget[] = [];
  if (Object.values(caps.shipments).some((c) => c.split)) {
    const rows = availableByLocation({ productIds: [...new Set(detail.lines.map((l) => l.productId))] });
    for (const r of rows) {
      let t = targets.find((x) => x.locationId === r.locationId);
      if (!t) targets.push((t = { locationId: r.locationId, name: r.name, available: {} }));
      t.available[r.productId] = r.available;
    }
  }

  return (
    <OrderVersion version={order.version}>
    <div className="space-y-6">
      <div>
        <Link href={ordersListHref(from)} data-testid="back-to-orders" className="text-sm text-indigo-700 hover:underline">
          ← Orders
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 data-testid="order-number" className="font-mono text-2xl font-semibold tracking-tight">
            {order.number}
          </h1>
          <StatusBadge status={order.status} testId="order-status" />
          {order.shipComplete ? (
            <span className="rounded-full bg-slate-800 px-2 py-0.5 text-xs font-medium text-white">Ship complete</span>
          ) : null}
        </div>
        <p className="mt-1 text-sm text-slate-500">
          Placed <LocalTime ms={order.placedAt} /> · status since <LocalTime ms={order.statusChangedAt} />
        </p>
        {/* Rendered only for roles that may act: its props carry money, and a client component's props reach the HTML. */}
        {can(user, "orders:cancel") || can(user, "refunds:request") ? (
          <div className="mt-3">
            <OrderActions
              order={{ id: order.id, number: order.number, status: order.status, currency: order.currency, subtotal: order.subtotal, shipping: order.shipping, tax: order.tax, total: order.total, paid: order.paid, refunded: order.refunded }}
              lines={detail.lines.map((l) => ({ id: l.id, sku: l.sku, name: l.name, qtyOrdered: l.qtyOrdered, qtyCancelled: l.qtyCancelled, unitPrice: l.unitPrice }))}
              refunds={detail.refunds.map((r) => ({ id: r.id, kind: r.kind, status: r.status, amount: r.amount, requestedBy: r.requestedBy, decidedBy: r.decidedBy, items: r.items }))}
              pendingShipments={pendingShipments.map((s) => ({ id: s.id, location: s.locationName, units: s.lines.reduce((n, l) => n + l.qty, 0) }))}
              caps={{ cancelOrder: caps.cancelOrder, cancelUnits: caps.cancelUnits, cancellable: caps.cancellable, refund: caps.refund, why: caps.why, lineWhy: caps.lineWhy }}
              limits={readRefundLimits(database())}
              mayApprove={caps.approveRefunds}
            />
          </div>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title="Lines" testId="order-lines">
            <OrderLines lines={detail.lines} currency={order.currency} showPrices={showPayment} />
          </Card>
          <Card title={`Shipments (${detail.shipments.length})`} testId="order-shipments">
            <Shipments
              shipments={detail.shipments}
              lines={detail.lines}
              backorders={detail.backorders}
              empty={empty}
              now={now}
              shipmentActions={(shipmentId) => {
                const s = detail.shipments.find((x) => x.id === shipmentId)!;
                const c = caps.shipments[shipmentId]!;
                return (
                  <ShipmentActions
                    orderId={order.id}
                    shipmentId={shipmentId}
                    lines={s.lines.filter((l) => l.qty > 0).map((l) => ({ orderLineId: l.orderLineId, qty: l.qty, sku: lineProduct.get(l.orderLineId)!.sku, productId: lineProduct.get(l.orderLineId)!.productId }))}
                    next={c.next}
                    split={c.split}
                    splitRefusal={s.status === "pending" && c.backorder ? caps.splitRefusal : null}
                    backorder={c.backorder}
                    targets={targets.filter((t) => t.locationId !== s.locationId)}
                  />
                );
              }}
              backorderActions={caps.backorderChoice ? (backorderId) => <BackorderChoice orderId={order.id} backorderId={backorderId} /> : undefined}
            />
          </Card>
          <Card title="Timeline" testId="order-timeline">
            {caps.note ? <NoteForm orderId={order.id} /> : null}
            <Timeline entries={rawPayloadsFor(showPayment ? detail.timeline : withoutPayment(detail.timeline), user)} decisionLinks={can(user, "routing:read")} />
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Customer" testId="customer-block">
            <dl className="space-y-2 text-sm wrap-anywhere">
              <div>
                <dt className="text-xs text-slate-500">Name</dt>
                <dd data-testid="customer-name" className="font-medium">{customer.name}</dd>
                <dd>
                  <Link href={withFrom(`/customers/${detail.customer.id}`, from)} data-testid="customer-orders-link" className="text-xs text-indigo-700 hover:underline">
                    All orders of this customer →
                  </Link>
                </dd>
              </div>
              {customer.contactHidden ? (
                <div>
                  <dt className="sr-only">Contact</dt>
                  <dd data-testid="contact-hidden" className="rounded bg-slate-50 px-2 py-1 text-xs text-slate-600">
                    Email and phone are not shown to your role.
                  </dd>
                </div>
              ) : (
                <>
                  <div>
                    <dt className="text-xs text-slate-500">Email</dt>
                    <dd data-testid="customer-email" className="break-all">{customer.email}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-slate-500">Phone</dt>
                    <dd data-testid="customer-phone">{customer.phone ?? "—"}</dd>
                  </div>
                </>
              )}
              <div>
                <dt className="text-xs text-slate-500">Ship to</dt>
                <dd data-testid="ship-to" className="leading-snug">
                  {address.name}
                  <br />
                  {address.line1}
                  {address.line2 ? (
                    <>
                      <br />
                      {address.line2}
                    </>
                  ) : null}
                  <br />
                  {address.postcode} {address.city}
                  {address.region ? `, ${address.region}` : ""}
                  <br />
                  {address.country}
                </dd>
              </div>
            </dl>
          </Card>
          <Card title="Totals" testId="order-totals">
            {showPayment ? (
              <div className="space-y-3">
                <Totals order={order} refunds={detail.refunds} />
                {caps.approveRefunds
                  ? detail.refunds
                      .filter((r) => r.status === "pending_approval")
                      .map((r) => <RefundDecision key={r.id} orderId={order.id} refund={r} />)
                  : null}
              </div>
            ) : (
              <p data-testid="payment-hidden" className="text-sm text-slate-500">Payment details are not shown to your role.</p>
            )}
          </Card>
        </div>
      </div>
    </div>
    </OrderVersion>
  );
}
