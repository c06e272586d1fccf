import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedBackend } from "../../lib/search/embedded/backend.ts";
import { indexOrder, rebuildEmbeddedIndex } from "../../lib/search/embedded/indexer.ts";
import { searchOrders } from "../../lib/search/search.ts";
import { advanceShipment } from "../../lib/orders/shipments.ts";
import { transition } from "../../lib/orders/state-machine.ts";
import { SYSTEM } from "../../lib/audit.ts";
import { tempDatabase } from "../support/db.ts";
import { T0, USERS, orderId, seedSearchFixture } from "../support/search-fixtures.ts";

describe("embedded search index upkeep", () => {
  const t = tempDatabase();
  const s = t.db.$client;
  const numbers = async (q: string, status?: "pending" | "cancelled" | "payment_processing") =>
    (await searchOrders({ q, user: USERS.agent, db: t.db, backend: embeddedBackend, filters: status ? { status: [status] } : {}, limit: 50 })).hits.map((h) => h.number);
  const indexBytes = () => s.prepare("SELECT count(*) AS n, total(length(block)) AS bytes FROM search_fts_data").get();

  beforeAll(() => seedSearchFixture(t.db));
  afterAll(() => t.cleanup());

  const newOrder = (id: number, number: string) => {
    s.prepare(
      "INSERT INTO orders (id, number, customer_id, ship_address_id, status, currency, placed_at, status_changed_at, updated_at) VALUES (?, ?, 1, 1, 'pending', 'EUR', ?, ?, ?)",
    ).run(id, number, T0 + id * 3_600_000, T0, T0);
    indexOrder(t.db, id);
  };

  it("an order created in a rolled-back transaction leaves nothing searchable; committed, it is found at once", async () => {
    expect(() =>
      s.transaction(() => {
        newOrder(50, "SY-100050");
        throw new Error("payment declined");
      })(),
    ).toThrow("payment declined");
    expect(await numbers("SY-100050")).toEqual([]);
    s.transaction(() => newOrder(50, "SY-100050"))();
    expect(await numbers("SY-100050")).toEqual(["SY-100050"]);
  });

  it("re-indexing an order is idempotent", async () => {
    s.transaction(() => {
      indexOrder(t.db, orderId("SY-100004"));
      indexOrder(t.db, orderId("SY-100004"));
    })();
    expect(await numbers("SY-100004")).toEqual(["SY-100004"]);
    expect(await numbers("Javier Garcia")).toEqual(["SY-100004"]);
  });

  it("shipping with a tracking number makes it searchable in the same transaction", async () => {
    const id = orderId("SY-100006");
    s.prepare("INSERT INTO inventory (location_id, product_id, on_hand, reserved, safety_stock, updated_at) VALUES (1, 4, 5, 1, 0, ?)").run(T0);
    const ship = s.prepare("INSERT INTO shipments (order_id, location_id, status, ship_by, created_at, updated_at) VALUES (?, 1, 'packed', ?, ?, ?)").run(id, T0, T0, T0);
    const line = s.prepare("SELECT id FROM order_lines WHERE order_id = ?").get(id) as { id: number };
    s.prepare("INSERT INTO shipment_lines (shipment_id, order_line_id, qty) VALUES (?, ?, 1)").run(ship.lastInsertRowid, line.id);
    expect(await numbers("00340434161234567890")).toEqual([]);
    t.db.transaction((tx) =>
      advanceShipment(tx, { orderId: id, shipmentId: Number(ship.lastInsertRowid), to: "shipped", carrier: "DHL", trackingNumber: "00340434161234567890", actor: SYSTEM, at: T0 + 1 }),
    );
    expect(await numbers("00340434161234567890")).toEqual(["SY-100006"]);
  });

  it("a status change does not touch the index, and the status filter still sees it at once", async () => {
    const before = indexBytes();
    expect(await numbers("zoe obrien", "payment_processing")).toEqual([]);
    t.db.transaction((tx) => transition(tx, { orderId: orderId("SY-100010"), from: "pending", to: "payment_processing", actor: SYSTEM, at: T0 + 2 }));
    expect(indexBytes()).toEqual(before);
    expect(await numbers("zoe obrien", "payment_processing")).toEqual(["SY-100010"]);
  });

  it("ranks a few digits as a phone ending before an order-number ending, and an email's start before names", async () => {
    expect(await numbers("8812")).toEqual(["SY-100010", "SY-100009", "SY-100003", "SY-108812"]);
    const r = await searchOrders({ q: "jose.garc", user: USERS.agent, db: t.db, backend: embeddedBackend });
    expect(r.hits.every((h) => h.matched[0]?.field === "email")).toBe(true);
  });

  it("a bulk rebuild answers exactly as the order-by-order index did", async () => {
    const queries = ["garcia", "jhon smiht", "8812", "BLU-M-0042", "jose.garcia@exmaple.com", "1Z999AA1O123456784", "SW1A 1AA", "zoe o'brien"];
    const before = await Promise.all(queries.map((q) => numbers(q)));
    const result = rebuildEmbeddedIndex(t.db);
    expect(result.orders).toBe(s.prepare("SELECT count(*) AS n FROM orders").pluck().get());
    expect(await Promise.all(queries.map((q) => numbers(q)))).toEqual(before);
  });
});
