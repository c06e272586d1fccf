/** Plain data in and out of the planner: no database, no clock, no randomness. */

export type PlanLine = { orderLineId: number; productId: number; sku: string; qty: number; allowBackorder: boolean };

export type PlanOrder = {
  orderId: number;
  shipComplete: boolean;
  shipTo: { lat: number; lng: number };
  lines: PlanLine[];
};

export type PlanLocation = {
  id: number;
  code: string;
  name: string;
  kind: "warehouse" | "3pl" | "dropship";
  lat: number;
  lng: number;
  priority: number;
  active: boolean;
  slaHours: number;
};

export type RoutingSnapshot = {
  locations: PlanLocation[];
  /** Available units (on_hand − reserved − safety stock, floored at 0) per location and product. */
  available: { locationId: number; productId: number; available: number }[];
  /** What dropship suppliers carry. */
  catalog: { locationId: number; productId: number; leadDays: number; active: boolean }[];
};

export type RoutingSettings = { now: number };

export type PlannedShipment = {
  locationId: number;
  locationCode: string;
  dropship: boolean;
  shipBy: number;
  distanceKm: number;
  lines: { orderLineId: number; productId: number; sku: string; qty: number }[];
};

export type PlannedQuantity = { orderLineId: number; productId: number; sku: string; qty: number };

type CandidateVerdict = "chosen" | "rejected";

export type Candidate = {
  locationId: number;
  code: string;
  name: string;
  kind: PlanLocation["kind"];
  distanceKm: number;
  priority: number;
  verdict: CandidateVerdict;
  reasons: string[];
};

type RoutingOutcome = "single" | "split" | "dropship" | "backordered" | "held";

export type RoutingPlan = {
  orderId: number;
  outcome: RoutingOutcome;
  split: boolean;
  shipments: PlannedShipment[];
  backorders: PlannedQuantity[];
  hold: { reason: string; lines: PlannedQuantity[] } | null;
  candidates: Candidate[];
  /** One sentence per step, for the warehouse lead. */
  explanation: string[];
};
