import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { seededAppDatabase } from "../support/app-db.ts";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let search: (req: Request) => Promise<Response>;
let exportCsv: (req: Request) => Promise<Response>;
let customer: { name: string; email: string; phone: string; number: string };

beforeAll(async () => {
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 120 }));
  ({ GET: search } = await import("../../app/api/search/route.ts"));
  ({ GET: exportCsv } = await import("../../app/api/refunds/export/route.ts"));
  customer = db.$client
    .prepare("SELECT c.name, c.email, c.phone, o.number FROM customers c JOIN orders o ON o.customer_id = c.id JOIN refunds r ON r.order_id = o.id WHERE c.phone IS NOT NULL ORDER BY o.id LIMIT 1")
    .get() as typeof customer;
}, 120_000);
afterAll(() => cleanup?.());

describe("a warehouse lead never receives email, phone or payment details", () => {
  test.each(["number", "name"] as const)("the JSON of /api/search by order %s has the order but no email or phone", async (by) => {
    const q = by === "number" ? customer.number : customer.name;
    const lead = await runAs(users.warehouse_lead, () => search(new Request(`http://localhost/api/search?q=${encodeURIComponent(q)}`)));
    expect(lead.status).toBe(200);
    const text = await lead.text();
    expect(text).toContain(customer.number);
    expect(text).not.toContain(customer.email);
    expect(text).not.toContain(customer.phone);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.\w+/);

    // The same search as an agent does carry them: the lead's answer is masked, not empty.
    const agent = await (await runAs(users.agent, () => search(new Request(`http://localhost/api/search?q=${encodeURIComponent(q)}`)))).text();
    expect(agent).toContain(customer.email);
  });

  test("the refund export is a 403 carrying no customer data; finance and admin get it", async () => {
    const refused = await runAs(users.warehouse_lead, () => exportCsv(new Request(`http://localhost/api/refunds/export?order=${customer.number}`)));
    expect(refused.status).toBe(403);
    const body = await refused.text();
    expect(body).not.toContain(customer.email);
    expect(body).not.toContain(customer.name);
    for (const role of ["finance", "admin"] as const) {
      const ok = await runAs(users[role], () => exportCsv(new Request(`http://localhost/api/refunds/export?order=${customer.number}`)));
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain(customer.email);
    }
    for (const role of ["agent", "manager"] as const) {
      expect((await runAs(users[role], () => exportCsv(new Request("http://localhost/api/refunds/export")))).status).toBe(403);
    }
  });
});
