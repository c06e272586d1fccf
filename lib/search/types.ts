import type { OrderStatus } from "../../db/schema/index.ts";

/** The one result shape of order search, whichever backend answered. */
export type SearchHit = {
  orderId: number;
  number: string;
  status: OrderStatus;
  customerName: string;
  /** Masked per role on the server: null when the viewer may not receive contact details. */
  email: string | null;
  phone: string | null;
  city: string;
  country: string;
  placedAt: number;
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
  backend: "embedded" | "elasticsearch";
  tookMs: number;
};
