import type { OrderStatus } from "../../db/schema/index.ts";
import type { DegradedReason } from "./backend.ts";

/** The one result shape of order search, whichever backend answered. */
export type SearchHit = {
  orderId: number;
  number: string;
  status: OrderStatus;
  customerId: number;
  customerName: string;
  /** Masked per role on the server: null when the viewer may not receive contact details. */
  email: string | null;
  phone: string | null;
  city: string;
  country: string;
  placedAt: number;
  /** The order's total in minor units; null when the viewer may not see payment details (orders:read_payment). */
  total: number | null;
  currency: string;
  /** What was ordered, for telling namesakes apart: "2 × Merino Crew Sweater, 1 × Mug" (first lines, then "+ n more"). */
  items: string;
  /** Which fields matched, with the matched text's [start, end) ranges for highlighting. */
  matched: { field: SearchField; value: string; ranges: [number, number][] }[];
  score: number;
};

export type SearchField = "number" | "name" | "email" | "phone" | "sku" | "product" | "tracking" | "city" | "postcode";

export type SearchFilters = { status?: OrderStatus[] };

export type SearchResult = {
  hits: SearchHit[];
  /** Opaque; pass back as `cursor` for the next page. Null when there is none. */
  nextCursor: string | null;
  /** Who answered: the embedded index answers when Elasticsearch is not configured or cannot be trusted right now. */
  backend: "embedded" | "elasticsearch";
  /** True when Elasticsearch is configured but the embedded index answered; `reason` and `notice` say why. */
  degraded: boolean;
  reason: DegradedReason | null;
  /** For people: what happened, e.g. "Elasticsearch did not answer within 1.5 s". */
  notice: string | null;
  tookMs: number;
};
