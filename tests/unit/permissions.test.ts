import { describe, expect, test } from "vitest";
import { ROLES, type Role } from "../../db/schema/auth.ts";
import { NAV_ITEMS, PERMISSIONS, PERMISSION_LIST, can, navigationFor, type Permission } from "../../lib/auth/permissions.ts";

/**
 * lib/DOMAIN.md's roles table as a permission matrix, written out independently of PERMISSIONS.
 * agent: view orders with contact details, cancel, notes, backorder choice, request refunds.
 * warehouse_lead: routing, split, backorder, receive, advance shipments, notes; their location's shipment alerts
 *   (see and assign, not acknowledge); ship-to but no email, phone or payment.
 * finance: refund history, approve, export; read-only on orders.
 * manager: alerts, metrics, acknowledge; read everything.
 * admin: everything.
 */
const EXPECTED: Record<Role, readonly Permission[]> = {
  agent: ["orders:read", "orders:read_contact", "orders:read_payment", "orders:cancel", "orders:note", "backorders:record_choice", "refunds:request"],
  warehouse_lead: ["orders:read", "orders:note", "routing:read", "shipments:split", "shipments:backorder", "shipments:advance", "inventory:receive", "alerts:read", "alerts:assign"],
  finance: ["orders:read", "orders:read_contact", "orders:read_payment", "refunds:read", "refunds:approve", "refunds:export"],
  manager: [
    "orders:read",
    "orders:read_contact",
    "orders:read_payment",
    "routing:read",
    "refunds:read",
    "alerts:read",
    "alerts:acknowledge",
    "alerts:assign",
    "metrics:read",
  ],
  admin: PERMISSION_LIST,
};

const MATRIX = ROLES.flatMap((role) => PERMISSION_LIST.map((permission) => ({ role, permission, allowed: EXPECTED[role].includes(permission) })));

describe("PERMISSIONS", () => {
  test("defines every role and only known permissions, each once", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) {
      for (const p of PERMISSIONS[role]) expect(PERMISSION_LIST).toContain(p);
      expect(new Set(PERMISSIONS[role]).size).toBe(PERMISSIONS[role].length);
    }
  });

  test.each(ROLES)("%s has exactly the permissions of the roles table", (role) => {
    expect([...PERMISSIONS[role]].sort()).toEqual([...EXPECTED[role]].sort());
  });

  test.each(MATRIX)("can($role, $permission) is $allowed", ({ role, permission, allowed }) => {
    expect(can({ role }, permission)).toBe(allowed);
  });

  test("a warehouse lead never sees customer contact or payment details", () => {
    expect(can({ role: "warehouse_lead" }, "orders:read")).toBe(true);
    expect(can({ role: "warehouse_lead" }, "orders:read_contact")).toBe(false);
    expect(can({ role: "warehouse_lead" }, "orders:read_payment")).toBe(false);
  });

  test("only finance and admin may export refunds", () => {
    expect(ROLES.filter((role) => can({ role }, "refunds:export"))).toEqual(["finance", "admin"]);
  });

  test("only admin may manage users, settings and API keys", () => {
    for (const p of ["admin:users", "admin:settings", "admin:api_keys"] as const) {
      expect(ROLES.filter((role) => can({ role }, p))).toEqual(["admin"]);
    }
  });

  test("finance is read-only on orders", () => {
    for (const p of ["orders:cancel", "orders:note", "backorders:record_choice", "shipments:split", "shipments:advance"] as const) {
      expect(can({ role: "finance" }, p)).toBe(false);
    }
  });

  test("a manager reads everything but changes only alerts", () => {
    const reads = PERMISSION_LIST.filter((p) => p.endsWith(":read") || p.startsWith("orders:read"));
    for (const p of reads) expect(can({ role: "manager" }, p)).toBe(true);
    const writes = PERMISSIONS.manager.filter((p) => !reads.includes(p));
    expect(writes).toEqual(["alerts:acknowledge", "alerts:assign"]);
  });

  test("admin has every permission", () => {
    for (const p of PERMISSION_LIST) expect(can({ role: "admin" }, p)).toBe(true);
  });

  test.each(PERMISSION_LIST)("nobody signed in may %s", (permission) => {
    expect(can(null, permission)).toBe(false);
    expect(can(undefined, permission)).toBe(false);
  });

  test("an unknown role (a stale or forged session) is allowed nothing", () => {
    const forged = { role: "superuser" as Role };
    for (const p of PERMISSION_LIST) expect(can(forged, p)).toBe(false);
  });
});

describe("navigationFor", () => {
  const expectedNav: Record<Role, string[]> = {
    agent: ["Orders"],
    warehouse_lead: ["Orders", "Shipments", "Routing", "Alerts"],
    finance: ["Orders", "Refunds"],
    manager: ["Orders", "Shipments", "Routing", "Refunds", "Alerts"],
    admin: ["Orders", "Shipments", "Routing", "Refunds", "Alerts", "Admin"],
  };

  test.each(ROLES)("%s sees exactly its screens, in order", (role) => {
    expect(navigationFor({ role }).map((item) => item.label)).toEqual(expectedNav[role]);
  });

  test("every item shown is one the role can open", () => {
    for (const role of ROLES) for (const item of navigationFor({ role })) expect(can({ role }, item.permission)).toBe(true);
  });

  test("nobody signed in sees no navigation", () => {
    expect(navigationFor(null)).toEqual([]);
  });

  test("every screen has a distinct path", () => {
    expect(new Set(NAV_ITEMS.map((i) => i.href)).size).toBe(NAV_ITEMS.length);
  });
});
