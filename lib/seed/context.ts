import type { Role } from "../../db/schema/auth.ts";
import type { CatalogEntry, SeedProduct } from "./catalog.ts";
import type { SeedCustomer } from "./people.ts";
import type { Rng } from "./random.ts";
import type { Inserts } from "./statements.ts";

export type SeedActor = { id: number | null; label: string };

/** Everything the order generator shares across orders; ids are the last ones handed out. */
export type SeedContext = {
  rng: Rng;
  ins: Inserts;
  products: readonly SeedProduct[];
  /** Product indices, most popular first. */
  popular: readonly number[];
  /** Products over €110, for orders that need a large refund. */
  premium: readonly number[];
  /** Backorderable products that are sold out everywhere; pending backorders are for these. */
  scarce: readonly number[];
  /** Per dropship supplier (index into SUPPLIERS): what it carries. */
  catalogs: readonly (readonly CatalogEntry[])[];
  customers: readonly SeedCustomer[];
  system: SeedActor;
  actors: Record<Role, SeedActor>;
  ids: {
    line: number;
    shipment: number;
    shipmentLine: number;
    backorder: number;
    refund: number;
    note: number;
    notification: number;
    routing: number;
    audit: number;
  };
  /** Open, non-dropship shipment quantity per stocking location and product: [loc * products.length + productIndex]. */
  reserved: Int32Array;
};

/** One audit row waiting to be written, with a time relative to the order's placement. */
export type AuditDraft = {
  t: number;
  entityType: "order" | "shipment";
  entityId: number;
  actor: SeedActor;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  data: string | null;
};
