import { eq } from "drizzle-orm";
import { addresses, auditEvents, customers, orders, outbox, users, type OrderStatus, type Role } from "../../db/schema/index.ts";
import type { DB } from "../../db/client.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";

/** A fixed clock so rows written by tests are comparable exactly. */
export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

let orderSeq = 0;

/** One customer with one ship-to address: the least an order needs. */
function insertCustomer(db: DB): { customerId: number; addressId: number } {
  const customer = db
    .insert(customers)
    .values({ name: "Ada Lovelace", email: "ada@example.test", phone: "+44 20 0000 0000", createdAt: T0 })
    .returning({ id: customers.id })
    .get();
  const address = db
    .insert(addresses)
    .values({
      customerId: customer.id,
      name: "Ada Lovelace",
      line1: "12 St James's Square",
      city: "London",
      postcode: "SW1Y 4JH",
      country: "GB",
      lat: 51.5074,
      lng: -0.1345,
    })
    .returning({ id: addresses.id })
    .get();
  return { customerId: customer.id, addressId: address.id };
}

/** A minimal order (no lines) in the given status; returns its id. */
export function insertOrder(db: DB, status: OrderStatus, owner?: { customerId: number; addressId: number }): number {
  const { customerId, addressId } = owner ?? insertCustomer(db);
  orderSeq += 1;
  return db
    .insert(orders)
    .values({
      number: `SY-T${String(orderSeq).padStart(6, "0")}`,
      customerId,
      shipAddressId: addressId,
      status,
      currency: "EUR",
      subtotal: 1000,
      total: 1000,
      placedAt: T0,
      statusChangedAt: T0,
      updatedAt: T0,
    })
    .returning({ id: orders.id })
    .get().id;
}

export function insertUser(db: DB, role: Role, email = `${role}@switchyard.test`): SessionUser {
  const row = db
    .insert(users)
    .values({ email, name: `Test ${role}`, role, passwordHash: "scrypt$unused", createdAt: T0, updatedAt: T0 })
    .returning()
    .get();
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export function orderRow(db: DB, id: number) {
  return db.select().from(orders).where(eq(orders.id, id)).get();
}

export function auditRows(db: DB) {
  return db.select().from(auditEvents).orderBy(auditEvents.id).all();
}

export function outboxRows(db: DB) {
  return db.select().from(outbox).orderBy(outbox.id).all();
}

