import type { Tx } from "../../../db/client.ts";
import type { ShipmentStatus } from "../../../db/schema/index.ts";
import type { Actor } from "../../audit.ts";
import { loadOrder, type OrderAggregate } from "../../orders/aggregate.ts";
import { advanceShipment } from "../../orders/shipments.ts";
import { SHIPMENT_NEXT, SHIPMENTS_MAY_MOVE } from "../../orders/shipment-flow.ts";
import { label } from "../../orders/state-machine.ts";
import { IntakeRejection, type DomainEvent, type ShipmentStep, type StepResult } from "../types.ts";
import { describeRef, findOrder, onOrder, orderKey, refKey } from "./order-ref.ts";

type Progressed = Extract<DomainEvent, { kind: "shipment_progressed" }>;
type Shipment = OrderAggregate["shipments"][number];

const RANK: Record<ShipmentStatus, number> = { pending: 0, picking: 1, packed: 2, shipped: 3, delivered: 4, cancelled: -1 };

/**
 * Moves shipments forward through advanceShipment(), one step at a time: "shipped" implies picked and
 * packed, so those steps are walked too; "delivered" needs the carrier and tracking that only "shipped"
 * brings, so it waits for it. A step already taken is ignored; an order not yet routed waits.
 */
export function progressShipments(tx: Tx, e: Progressed, actor: Actor, at: number): StepResult {
  const found = findOrder(tx, e.order);
  if (!found) return { outcome: "parked", orderId: null, reason: `Waiting for ${describeRef(e.order)} to be placed.`, waitingFor: refKey(e.order) };
  const agg = loadOrder(tx, found.id);
  const park = (reason: string): StepResult => ({ outcome: "parked", orderId: found.id, reason, waitingFor: orderKey(found.id) });
  if (found.status === "cancelled") throw new IntakeRejection(`${found.number} was cancelled; the warehouse reports shipment progress on it.`, found.id);
  const targets = e.shipmentId !== null ? byId(agg, e.shipmentId, found.number) : bySkus(agg, e.skus);
  if (targets === "unrouted") return park(`${found.number} has no shipment for ${e.skus?.join(", ") ?? "it"} yet (${label(found.status)}); waiting for routing.`);
  if (targets.every((s) => s.status !== "cancelled" && RANK[s.status] >= RANK[e.to])) return { outcome: "ignored", orderId: found.id, reason: `Already ${e.to} or further.` };
  if (!SHIPMENTS_MAY_MOVE.includes(agg.order.status)) return park(`${found.number} is ${label(agg.order.status)}; its shipments cannot move until it is paid and routed.`);
  let moved = 0;
  for (const s of targets) {
    if (s.status === "cancelled") throw new IntakeRejection(`Shipment #${s.id} of ${found.number} was cancelled; it cannot be ${e.to}.`, found.id);
    if (RANK[s.status] >= RANK[e.to]) continue;
    if (e.to === "delivered" && s.status !== "shipped") return park(`Shipment #${s.id} is ${s.status}; delivered waits for shipped (carrier and tracking).`);
    let status: ShipmentStatus = s.status;
    while (status !== e.to) {
      const next = SHIPMENT_NEXT[status]! as ShipmentStep;
      onOrder(found.id, () => advanceShipment(tx, { orderId: found.id, shipmentId: s.id, to: next, actor, at, ...(next === "shipped" ? { carrier: e.carrier ?? "", trackingNumber: e.trackingNumber ?? "" } : {}) }));
      status = next;
    }
    moved += 1;
  }
  if (moved === 0) return { outcome: "ignored", orderId: found.id, reason: `Already ${e.to} or further.` };
  return { outcome: "applied", orderId: found.id };
}

function byId(agg: OrderAggregate, shipmentId: number, number: string): Shipment[] {
  const s = agg.shipments.find((x) => x.id === shipmentId);
  if (!s) throw new IntakeRejection(`Shipment #${shipmentId} is not on ${number}.`, agg.order.id);
  return [s];
}

/** The live shipments holding any of these SKUs (all of the order's when none are named), or "unrouted" when a SKU has none yet. */
function bySkus(agg: OrderAggregate, skus: string[] | null): Shipment[] | "unrouted" {
  const wanted = skus ?? agg.lines.map((l) => l.sku);
  const live = agg.shipments.filter((s) => s.status !== "cancelled");
  const out = new Set<Shipment>();
  for (const sku of wanted) {
    const line = agg.lines.find((l) => l.sku === sku);
    if (!line) throw new IntakeRejection(`${sku} is not on ${agg.order.number}.`, agg.order.id);
    const holding = live.filter((s) => s.lines.some((l) => l.orderLineId === line.id));
    if (holding.length === 0) return "unrouted";
    for (const s of holding) out.add(s);
  }
  return [...out];
}
