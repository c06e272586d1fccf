import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { database } from "../index.ts";
import { addresses, customers, orderLines, orders, type OrderStatus } from "../schema/index.ts";

/** Orders shown on a customer's page at most, newest first. */
const HISTORY_LIMIT = 200;

type CustomerOrderRow = {
  id: number;
  number: string;
  status: OrderStatus;
  placedAt: number;
  total: number;
  currency: string;
  city: string;
  country: string;
  /** Open units, then the product names of the first lines: "3 · Merino Crew Sweater — Blue, M; Mug". */
  units: number;
  products: string;
};

/** A customer and their orders, newest first (contact and money are masked by the caller), or null. */
export function getCustomerHistory({ id }: { id: number }) {
  const db = database();
  const customer = db.select().from(customers).where(eq(customers.id, id)).get();
  if (!customer) return null;
  const rows: CustomerOrderRow[] = db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      placedAt: orders.placedAt,
      total: orders.total,
      currency: orders.currency,
      city: addresses.city,
      country: addresses.country,
      units: sql<number>`(SELECT coalesce(sum(${orderLines.qtyOrdered} - ${orderLines.qtyCancelled}), 0) FROM ${orderLines} WHERE ${orderLines.orderId} = ${orders.id})`,
      products: sql<string>`coalesce((SELECT group_concat(${orderLines.name}, '; ') FROM ${orderLines} WHERE ${orderLines.orderId} = ${orders.id}), '')`,
    })
    .from(orders)
    .innerJoin(addresses, eq(addresses.id, orders.shipAddressId))
    .where(eq(orders.customerId, id))
    .orderBy(desc(orders.placedAt), desc(orders.id))
    .limit(HISTORY_LIMIT + 1)
    .all();
  const count = db.select({ n: sql<number>`count(*)` }).from(orders).where(eq(orders.customerId, id)).get()?.n ?? 0;
  return { customer, orders: rows.slice(0, HISTORY_LIMIT), count };
}
