import "server-only";
import { and, desc, eq, lt, gt, or, sql, asc, inArray, type SQL } from "drizzle-orm";
import { database } from "../index.ts";
import {
  addresses,
  auditEvents,
  backorders,
  customers,
  inventory,
  locations,
  notes,
  notifications,
  orderLines,
  orders,
  orderStatusCounts,
  refunds,
  refundItems,
  routingDecisions,
  shipmentLines,
  shipments,
  users,
  ORDER_STATUSES,
  type OrderStatus,
} from "../schema/index.ts";

import { webhookEventsForOrder } from "./webhooks.ts";

const PAGE_SIZE = 50;
const SOURCE_NAMES: Record<string, string> = { stripe: "Stripe", shopify: "Shopify", warehouse: "Warehouse", api: "Orders API" };

export type OrderCursor = { placedAt: number; id: number };

export function encodeCursor(c: OrderCursor): string {
  return `${c.placedAt}.${c.id}`;
}

export function decodeCursor(raw: string | undefined): OrderCursor | null {
  const m = raw?.match(/^(\d{1,15})\.(\d{1,12})$/);
  return m ? { placedAt: Number(m[1]), id: Number(m[2]) } : null;
}

export type OrderListRow = {
  id: number;
  number: string;
  status: OrderStatus;
  customerName: string;
  city: string;
  country: string;
  total: number;
  currency: string;
  lineCount: number;
  placedAt: number;
};

/**
 * Newest first, keyset-paginated on (placed_at, id): `after` pages towards older orders,
 * `before` back towards newer ones. Returns one page and whether more exist each way.
 */
export function listOrders({
  status,
  after,
  before,
  limit = PAGE_SIZE,
}: {
  status?: OrderStatus;
  after?: OrderCursor | null;
  before?: OrderCursor | null;
  limit?: number;
}): { rows: OrderListRow[]; hasOlder: boolean; hasNewer: boolean } {
  const db = database();
  const where: SQL[] = [];
  if (status) where.push(eq(orders.status, status));
  const backwards = !after && !!before;
  if (after) {
    where.push(or(lt(orders.placedAt, after.placedAt), and(eq(orders.placedAt, after.placedAt), lt(orders.id, after.id)))!);
  } else if (before) {
    where.push(or(gt(orders.placedAt, before.placedAt), and(eq(orders.placedAt, before.placedAt), gt(orders.id, before.id)))!);
  }
  const page = db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      customerName: customers.name,
      city: addresses.city,
      country: addresses.country,
      total: orders.total,
      currency: orders.currency,
      lineCount: sql<number>`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.orderId} = ${orders.id})`,
      placedAt: orders.placedAt,
    })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .innerJoin(addresses, eq(addresses.id, orders.shipAddressId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(...(backwards ? [asc(orders.placedAt), asc(orders.id)] : [desc(orders.placedAt), desc(orders.id)]))
    .limit(limit + 1)
    .all();
  const more = page.length > limit;
  const rows = page.slice(0, limit);
  if (backwards) rows.reverse();
  return {
    rows,
    hasOlder: backwards ? true : more,
    hasNewer: backwards ? more : !!after,
  };
}

/** Orders per status, from the trigger-kept order_status_counts (never a scan of orders). */
export function countOrdersByStatus(): Record<OrderStatus, number> {
  const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  const rows = database().select({ status: orderStatusCounts.status, n: orderStatusCounts.orders }).from(orderStatusCounts).all();
  for (const r of rows) if (r.status in counts) counts[r.status as OrderStatus] = r.n;
  return counts;
}

/** Everything the order page shows, or null. Contact and payment fields are masked by the caller. */
export function getOrderDetail({ id }: { id: number }) {
  const db = database();
  const order = db.select().from(orders).where(eq(orders.id, id)).get();
  if (!order) return null;
  const customer = db.select().from(customers).where(eq(customers.id, order.customerId)).get()!;
  const address = db.select().from(addresses).where(eq(addresses.id, order.shipAddressId)).get()!;
  const lines = db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.id)).all();
  const shipmentRows = db
    .select({ shipment: shipments, locationName: locations.name, locationKind: locations.kind, locationCode: locations.code })
    .from(shipments)
    .innerJoin(locations, eq(locations.id, shipments.locationId))
    .where(eq(shipments.orderId, id))
    .orderBy(asc(shipments.id))
    .all();
  const shipmentIds = shipmentRows.map((s) => s.shipment.id);
  const slines = shipmentIds.length
    ? db.select().from(shipmentLines).where(inArray(shipmentLines.shipmentId, shipmentIds)).all()
    : [];
  const backorderRows = db.select().from(backorders).where(eq(backorders.orderId, id)).orderBy(asc(backorders.id)).all();
  const refundRows = db.select().from(refunds).where(eq(refunds.orderId, id)).orderBy(desc(refunds.createdAt)).all();
  const refundItemRows = db.select().from(refundItems).where(eq(refundItems.orderId, id)).all();
  return {
    order,
    customer,
    address,
    lines,
    shipments: shipmentRows.map((s) => ({
      ...s.shipment,
      locationName: s.locationName,
      locationKind: s.locationKind,
      locationCode: s.locationCode,
      lines: slines.filter((l) => l.shipmentId === s.shipment.id),
    })),
    backorders: backorderRows,
    refunds: refundRows.map((r) => ({ ...r, items: refundItemRows.filter((i) => i.refundId === r.id).map(({ orderLineId, qty, amount }) => ({ orderLineId, qty, amount })) })),
    timeline: getOrderTimeline({ orderId: id }),
  };
}

export function orderNumberOf({ id }: { id: number }): string | null {
  return database().select({ number: orders.number }).from(orders).where(eq(orders.id, id)).get()?.number ?? null;
}

export function findOrderIdByNumber({ number }: { number: string }): number | null {
  const row = database().select({ id: orders.id }).from(orders).where(eq(orders.number, number.toUpperCase())).get();
  return row?.id ?? null;
}

export type TimelineEntry = {
  key: string;
  kind: "audit" | "note" | "notification" | "webhook";
  at: number;
  actor: string;
  title: string;
  detail: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  /** An incoming event's raw body, and who sent it (the page masks it for roles that may not read it). */
  raw?: string | null;
  source?: string;
  /** A customer notification's email: recorded (no SMTP), sending, sent or failed, with the server's words (addresses removed). */
  delivery?: NotificationDelivery;
  /** The routing decision an entry came from (routing, a re-plan), for a link to it. */
  decisionId?: number;
  /** A shipment that shipped: its carrier and tracking number. */
  tracking?: { carrier: string | null; trackingNumber: string };
};

export type NotificationDelivery = { state: "recorded" | "sending" | "sent" | "failed"; error: string | null; sentAt: number | null };

function deliveryOf(n: { delivery: "recorded" | "pending" | "sent" | "failed"; deliveryError: string | null; sentAt: number | null }): NotificationDelivery {
  return { state: n.delivery === "pending" ? "sending" : n.delivery, error: n.deliveryError, sentAt: n.delivery === "sent" ? n.sentAt : null };
}

/** Audit rows, notes, customer notifications and incoming events (with their raw payload) of an order, newest first. */
export function getOrderTimeline({ orderId }: { orderId: number }): TimelineEntry[] {
  const db = database();
  const audit = db.select().from(auditEvents).where(eq(auditEvents.orderId, orderId)).all();
  const noteRows = db
    .select({ note: notes, author: users.name })
    .from(notes)
    .leftJoin(users, eq(users.id, notes.authorId))
    .where(eq(notes.orderId, orderId))
    .all();
  const sent = db.select().from(notifications).where(eq(notifications.orderId, orderId)).all();
  const tracked = new Map(
    db
      .select({ id: shipments.id, carrier: shipments.carrier, trackingNumber: shipments.trackingNumber })
      .from(shipments)
      .where(eq(shipments.orderId, orderId))
      .all()
      .filter((s) => s.trackingNumber)
      .map((s) => [s.id, { carrier: s.carrier, trackingNumber: s.trackingNumber! }]),
  );
  const decisionOf = (data: unknown) => {
    const id = (data as { decisionId?: unknown } | null)?.decisionId;
    return typeof id === "number" ? id : undefined;
  };
  const entries: TimelineEntry[] = [
    ...audit.map((a) => ({
      decisionId: decisionOf(a.data),
      tracking: a.entityType === "shipment" && a.toStatus === "shipped" ? tracked.get(a.entityId) : undefined,
      key: `audit-${a.id}`,
      kind: "audit" as const,
      at: a.createdAt,
      actor: a.actorLabel,
      title: describeAudit(a.entityType, a.entityId, a.action, a.fromStatus, a.toStatus),
      detail: a.reason,
      fromStatus: a.fromStatus,
      toStatus: a.toStatus,
    })),
    ...noteRows.map((n) => ({
      key: `note-${n.note.id}`,
      kind: "note" as const,
      at: n.note.createdAt,
      actor: n.author ?? "system",
      title: "Note",
      detail: n.note.body,
    })),
    ...webhookEventsForOrder({ orderId }).map((w) => ({
      key: `webhook-${w.id}`,
      kind: "webhook" as const,
      at: w.receivedAt,
      actor: w.source === "api" ? "Orders API" : `${SOURCE_NAMES[w.source]} webhook`,
      title: `Incoming ${SOURCE_NAMES[w.source]} event ${w.type}: ${w.outcome ?? "received"}`,
      detail: w.error ?? w.reason,
      raw: w.payload,
      source: w.source,
    })),
    ...sent.map((n) => ({
      key: `notification-${n.id}`,
      kind: "notification" as const,
      at: n.createdAt,
      actor: "system",
      title: `Customer notified (${n.channel}): ${n.subject}`,
      detail: n.body,
      delivery: deliveryOf(n),
    })),
  ];
  return entries.sort((a, b) => b.at - a.at || b.key.localeCompare(a.key));
}

function describeAudit(entityType: string, entityId: number, action: string, from: string | null, to: string | null): string {
  const human = (v: string | null) => (v ?? "").replaceAll("_", " ");
  const subject = entityType === "order" ? "Order" : `${capitalise(human(entityType))} #${entityId}`;
  if (action === "created") return `${subject} created`;
  if (action === "status_changed" || action === "shipment_status_changed") return `${subject} ${human(from) || "new"} → ${human(to)}`;
  return `${subject}: ${human(action)}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Available units per active stock location for these products, for the lead's move dialog. */
export function availableByLocation({ productIds }: { productIds: number[] }) {
  if (productIds.length === 0) return [];
  return database()
    .select({
      locationId: locations.id,
      name: locations.name,
      productId: inventory.productId,
      available: sql<number>`max(0, ${inventory.onHand} - ${inventory.reserved} - ${inventory.safetyStock})`,
    })
    .from(inventory)
    .innerJoin(locations, eq(locations.id, inventory.locationId))
    .where(and(inArray(inventory.productId, productIds), eq(locations.active, true), sql`${locations.kind} <> 'dropship'`))
    .orderBy(asc(locations.priority), asc(locations.id))
    .all();
}

/** Whether the order's latest routing decision held it (no stock, supplier or backorder could take it). */
export function routingHeld({ orderId }: { orderId: number }): boolean {
  const row = database().select({ held: routingDecisions.held }).from(routingDecisions).where(eq(routingDecisions.orderId, orderId)).orderBy(desc(routingDecisions.id)).limit(1).get();
  return row?.held ?? false;
}
