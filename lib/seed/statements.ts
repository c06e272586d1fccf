import type Database from "better-sqlite3";

/** Raw prepared inserts for the hot loop: positional parameters in the column order written here. */
export function prepareInserts(sqlite: Database.Database) {
  const insert = (table: string, columns: string) => {
    const cols = columns.split(",").map((c) => c.trim());
    return sqlite.prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`);
  };
  return {
    user: insert("users", "id, email, name, role, password_hash, disabled, created_at, updated_at"),
    setting: insert("settings", "key, value, updated_at, updated_by"),
    location: insert("locations", "id, code, name, kind, city, country, lat, lng, priority, active, sla_hours"),
    product: insert("products", "id, sku, name, price, currency, weight_grams, allow_backorder, active"),
    inventory: insert("inventory", "location_id, product_id, on_hand, reserved, safety_stock, updated_at"),
    catalog: insert("supplier_catalog", "location_id, product_id, cost, currency, lead_days, active"),
    customer: insert("customers", "id, name, email, phone, created_at"),
    address: insert("addresses", "id, customer_id, name, line1, line2, city, region, postcode, country, lat, lng"),
    order: insert(
      "orders",
      "id, number, customer_id, ship_address_id, status, ship_complete, currency, subtotal, shipping, tax, total, paid, refunded, placed_at, status_changed_at, updated_at",
    ),
    orderLine: insert("order_lines", "id, order_id, product_id, sku, name, qty_ordered, qty_cancelled, unit_price"),
    shipment: insert(
      "shipments",
      "id, order_id, location_id, status, dropship, carrier, tracking_number, ship_by, created_at, updated_at, shipped_at, delivered_at",
    ),
    shipmentLine: insert("shipment_lines", "id, shipment_id, order_line_id, qty, qty_cancelled"),
    backorder: insert("backorders", "id, order_id, order_line_id, product_id, qty, status, customer_choice, reason, created_at, updated_at"),
    refund: insert(
      "refunds",
      "id, order_id, amount, currency, reason, status, kind, lines, requested_by, decided_by, decision_note, provider_ref, created_at, decided_at, completed_at",
    ),
    refundItem: insert("refund_items", "refund_id, order_id, order_line_id, qty, amount"),
    note: insert("notes", "id, order_id, author_id, body, created_at"),
    notification: insert("notifications", "id, order_id, customer_id, channel, kind, subject, body, created_at, sent_at"),
    routing: insert("routing_decisions", "id, order_id, outcome, split, dropship, backordered, held, shipment_count, plan, created_at"),
    audit: insert(
      "audit_events",
      "id, entity_type, entity_id, order_id, actor_id, actor_label, action, from_status, to_status, reason, data, created_at",
    ),
  };
}

export type Inserts = ReturnType<typeof prepareInserts>;
