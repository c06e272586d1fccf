import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { globSync } from "node:fs";
import path from "node:path";
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

/** An amount as a screen or export formats it: €12.50, £3.00, US$4.00, EUR 12.50. */
const FORMATTED_MONEY = /(?:[€£¥]|US\$|\b(?:EUR|GBP|USD)[\u00a0 ])\s?-?\d/;

// next-auth's own routes answer only about the caller (their own name and email), never about customers.
const NOT_ABOUT_CUSTOMERS = ["app/api/auth/[...nextauth]/route.ts"];
const DESCRIBES_SHAPES = ["GET /api/v1/openapi.json", "GET /api/docs", "GET /api/docs/[asset]"];

describe("every API route, asked by a warehouse lead, carries no customer email, phone or money", () => {
  const root = process.cwd();
  const contacts = () => db.$client.prepare("SELECT email, phone FROM customers").all() as { email: string; phone: string | null }[];
  const sample = () =>
    db.$client
      .prepare(
        `SELECT c.name, c.email, c.phone, o.number, a.city, (SELECT sku FROM order_lines WHERE order_id = o.id LIMIT 1) AS sku
         FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.ship_address_id
         WHERE c.phone IS NOT NULL ORDER BY o.id DESC LIMIT 1`,
      )
      .get() as { name: string; email: string; phone: string; number: string; city: string; sku: string };

  /** Every request worth making per route: each way the lead could ask for a customer. */
  const REQUESTS: Record<string, () => (RequestInit & { query?: string; params?: Record<string, string> })[]> = {
    "GET /api/search": () => {
      const c = sample();
      return [c.name, c.number, c.email, c.email.split("@")[0]!, c.phone, c.phone.slice(-4), c.city, c.sku, ""].map((q) => ({ query: `q=${encodeURIComponent(q)}&limit=50` }));
    },
    "GET /api/refunds/export": () => [{ query: "" }, { query: "status=succeeded" }],
    "GET /api/alerts/count": () => [{}],
    "POST /api/routing/preview": () => [
      { method: "POST", body: JSON.stringify({ lines: [{ sku: sample().sku, qty: 2 }], shipTo: { country: "DE" } }), headers: { "content-type": "application/json" } },
    ],
    "GET /api/health": () => [{}],
    // The orders API answers API keys, not sessions: asked with the lead's session alone it refuses and says nothing more.
    "GET /api/v1/orders": () => [{ query: "limit=50" }],
    "POST /api/v1/orders": () => [{ method: "POST", body: JSON.stringify({ currency: "EUR" }), headers: { "content-type": "application/json", "idempotency-key": "pii-walk" } }],
    "GET /api/v1/orders/[number]": () => [{ params: { number: sample().number } }],
    "POST /api/v1/orders/[number]/cancel": () => [{ method: "POST", body: JSON.stringify({ reason: "customer_requested" }), headers: { "content-type": "application/json", "idempotency-key": "pii-walk" }, params: { number: sample().number } }],
    "POST /api/v1/orders/[number]/payments": () => [{ method: "POST", body: "{}", headers: { "content-type": "application/json", "idempotency-key": "pii-walk" }, params: { number: sample().number } }],
    // The API's document and reference are public and describe shapes, never data.
    "GET /api/v1/openapi.json": () => [{}],
    "GET /api/docs": () => [{}],
    "GET /api/docs/[asset]": () => [{ params: { asset: "swagger-ui.css" } }],
    // Webhook receivers answer their senders (a signature, not a session): asked unsigned, they refuse and say nothing more.
    ...Object.fromEntries(
      ["shopify", "stripe", "warehouse"].map((source) => [
        `POST /api/webhooks/${source}`,
        () => [{ method: "POST", body: JSON.stringify({ id: "evt_pii", type: "order.lookup", email: sample().email }), headers: { "content-type": "application/json" } }],
      ]),
    ),
  };

  test("each route file's every method is asked, and no answer holds a customer's email, phone or a formatted amount", async () => {
    const asked: string[] = [];
    const unlisted: string[] = [];
    const all = contacts();
    for (const file of globSync("app/api/**/route.ts", { cwd: root }).sort()) {
      if (NOT_ABOUT_CUSTOMERS.includes(file)) continue;
      const urlPath = "/" + path.dirname(file).replace(/^app\//, "");
      const mod = (await import(path.join(root, file))) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
        const handler = mod[method] as ((req: Request) => Promise<Response> | Response) | undefined;
        if (typeof handler !== "function") continue;
        const name = `${method} ${urlPath}`;
        const requests = REQUESTS[name];
        if (!requests) {
          unlisted.push(name);
          continue;
        }
        for (const { query, params, ...init } of requests()) {
          const url = `http://localhost${urlPath.replace(/\[(\w+)\]/g, (_, k: string) => params?.[k] ?? k)}${query ? `?${query}` : ""}`;
          const call = handler as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
          const res = await runAs(users.warehouse_lead, () => call(new Request(url, { method, ...init }), { params: Promise.resolve(params ?? {}) }));
          const body = await res.text();
          asked.push(`${name} ${query ?? ""} → ${res.status}`);
          expect(res.status, `${name} ${query ?? ""}`).toBeLessThan(500);
          // The API's document and reference carry example addresses (ada@example.com), never a customer's: checked below.
          if (!DESCRIBES_SHAPES.includes(name)) {
            expect(body, `${name} ${query ?? ""}`).not.toMatch(FORMATTED_MONEY);
            expect(body).not.toMatch(/[\w.+-]+@[\w-]+\.\w+/);
          }
          for (const c of all) {
            expect(body.includes(c.email), `${name} ${query ?? ""} carries ${c.email}`).toBe(false);
            if (c.phone) expect(body.includes(c.phone), `${name} ${query ?? ""} carries ${c.phone}`).toBe(false);
          }
        }
      }
    }
    // A new route must say here how the lead could ask it for a customer.
    expect(unlisted).toEqual([]);
    expect(asked.length).toBeGreaterThanOrEqual(13);
  });
});
