import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/client.ts";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { parseRefundFilters } from "../../lib/refunds/filters.ts";
import { refundWhere } from "../../db/queries/refund-filters.ts";
import { REFUND_CSV_COLUMNS } from "../../lib/refunds/csv.ts";
import { parseCsv, seededAppDatabase, tableCounts } from "../support/app-db.ts";

let db: DB;
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let GET: (req: Request) => Promise<Response>;

const BULK = 100_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 6, 1);

beforeAll(async () => {
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 60 }));
  // 100,000 refunds over four months, every status, both currencies, awkward reasons (quotes, commas, formulas).
  const orders = db.$client.prepare("SELECT id, currency FROM orders ORDER BY id").all() as { id: number; currency: string }[];
  const insert = db.$client.prepare(
    "INSERT INTO refunds (order_id, amount, currency, reason, status, requested_by, decided_by, decision_note, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const statuses = ["pending_approval", "approved", "rejected", "succeeded", "failed"] as const;
  const reasons = ['Damaged, "badly"', "=HYPERLINK(\"x\")", "Line one\nline two", "Plain reason"];
  db.$client.transaction(() => {
    for (let i = 0; i < BULK; i++) {
      const o = orders[i % orders.length]!;
      const status = statuses[i % statuses.length]!;
      const decided = status !== "pending_approval" && i % 3 === 0;
      insert.run(o.id, 100 + ((i * 7919) % 50_000), o.currency, reasons[i % reasons.length]!, status, users.agent.id, decided ? users.finance.id : null, decided ? "ok" : null, START + Math.floor((i * 120 * DAY) / BULK), decided ? START + DAY : null);
    }
  })();
  ({ GET } = await import("../../app/api/refunds/export/route.ts"));
}, 240_000);

afterAll(() => cleanup?.());

const request = (query = "") => new Request(`http://localhost/api/refunds/export${query ? `?${query}` : ""}`);

function expectedIds(query: string): number[] {
  const { filters } = parseRefundFilters(new URLSearchParams(query));
  const where = refundWhere(filters);
  return (db.$client.prepare(`SELECT r.id FROM refunds r JOIN orders o ON o.id = r.order_id ${where.sql} ORDER BY r.created_at DESC, r.id DESC`).all(...where.params) as { id: number }[]).map((r) => r.id);
}

/** Reads a streamed body chunk by chunk without keeping it, counting rows (CRLF ends a record; fields never hold a bare CRLF). */
async function drain(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let chunks = 0;
  let bytes = 0;
  let maxChunk = 0;
  let records = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks += 1;
    bytes += value.byteLength;
    maxChunk = Math.max(maxChunk, value.byteLength);
    records += (decoder.decode(value, { stream: true }).match(/\r\n/g) ?? []).length;
  }
  return { chunks, bytes, maxChunk, records };
}

describe("GET /api/refunds/export", () => {
  test(`streams all ${BULK.toLocaleString("en")}+ refunds in small chunks, never the whole file at once`, async () => {
    const total = (db.$client.prepare("SELECT count(*) AS n FROM refunds").get() as { n: number }).n;
    const heapBefore = process.memoryUsage().heapUsed;
    const res = await runAs(users.finance, () => GET(request()));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="refunds_all-dates_to_\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body).toBeInstanceOf(ReadableStream);
    const r = await drain(res);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    console.log(`export: ${total} rows, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.chunks} chunks (largest ${(r.maxChunk / 1e3).toFixed(0)} kB), heap +${(heapGrowth / 1e6).toFixed(1)} MB`);
    expect(r.records).toBe(total + 1); // header + one line per refund
    expect(r.chunks).toBeGreaterThan(total / 500);
    expect(r.maxChunk).toBeLessThan(512 * 1024);
    expect(r.bytes).toBeGreaterThan(10 * r.maxChunk);
  });

  test("a client that stops reading early cancels the export (the read connection is closed, the app's stays usable)", async () => {
    const res = await runAs(users.admin, () => GET(request()));
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect((db.$client.prepare("SELECT count(*) AS n FROM refunds").get() as { n: number }).n).toBeGreaterThan(BULK);
  });

  test.each([
    "status=succeeded&min=400.00&max=420.00",
    "from=2026-07-10&to=2026-07-12",
    "decidedBy=__finance__&status=approved&from=2026-08-01&to=2026-08-03",
    "order=SY-10000",
    "period=custom&from=2026-07-01&to=31/07/2026&tz=Europe/Madrid&currency=EUR&min=100,00",
    "from=2026-08-01&to=2026-08-01&tz=Pacific/Auckland&currency=GBP",
  ])("the rows of ?%s are exactly the filtered set, newest first, with escaped text", async (raw) => {
    const query = raw.replace("__finance__", String(users.finance.id));
    const res = await runAs(users.finance, () => GET(request(query)));
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual([...REFUND_CSV_COLUMNS]);
    const ids = rows.slice(1).map((r) => Number(r[0]));
    const expected = expectedIds(query);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
    for (const r of rows.slice(1)) {
      expect(r).toHaveLength(REFUND_CSV_COLUMNS.length);
      expect(r[8]).not.toMatch(/^[=+\-@]/); // formulas are neutralised
    }
    expect(rows.slice(1).some((r) => r[8] === 'Damaged, "badly"' || r[8] === "Line one\nline two" || r[8] === "Plain reason" || r[8] === "'=HYPERLINK(\"x\")")).toBe(true);
  });

  test("a month in Madrid: the file name carries the range and currency, and every row is a euro refund created in that month there", async () => {
    const query = "period=custom&from=2026-07-01&to=2026-07-31&tz=Europe/Madrid&currency=EUR";
    const res = await runAs(users.finance, () => GET(request(query)));
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="refunds_2026-07-01_to_2026-07-31_EUR.csv"');
    const rows = parseCsv(await res.text()).slice(1);
    expect(rows.length).toBe(expectedIds(query).length);
    // Madrid is UTC+2 in July: the month starts at 22:00 UTC on 30 June and ends at 22:00 UTC on 31 July.
    for (const r of rows) {
      expect(r[7]).toBe("EUR");
      expect(Date.parse(r[1]!)).toBeGreaterThanOrEqual(Date.UTC(2026, 5, 30, 22));
      expect(Date.parse(r[1]!)).toBeLessThan(Date.UTC(2026, 6, 31, 22));
    }
    const edge = db.$client.prepare("SELECT count(*) AS n FROM refunds WHERE currency = 'EUR' AND created_at >= ? AND created_at < ?").get(Date.UTC(2026, 5, 30, 22), Date.UTC(2026, 6, 31, 22)) as { n: number };
    expect(rows.length).toBe(edge.n);
  });

  test("the zone comes from the browser's cookie when the link names none", async () => {
    const req = new Request("http://localhost/api/refunds/export?from=2026-07-10&to=2026-07-10", { headers: { cookie: "theme=x; tz=Europe%2FMadrid" } });
    const rows = parseCsv(await (await runAs(users.finance, () => GET(req))).text()).slice(1);
    const n = (db.$client.prepare("SELECT count(*) AS n FROM refunds WHERE created_at >= ? AND created_at < ?").get(Date.UTC(2026, 6, 9, 22), Date.UTC(2026, 6, 10, 22)) as { n: number }).n;
    expect(n).toBeGreaterThan(0);
    expect(rows.length).toBe(n);
  });

  test("amounts leave as decimals with their currency", async () => {
    const res = await runAs(users.finance, () => GET(request("status=succeeded&min=400.00&max=400.00")));
    const rows = parseCsv(await res.text()).slice(1);
    for (const r of rows) expect(r[6]).toBe("400.00");
  });

  test("an unreadable filter (a typed date that is no date, too) is a 400 that names it, not a full export", async () => {
    const res = await runAs(users.finance, () => GET(request("min=lots&from=31/02/2026")));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; issues: { path: string }[] };
    expect(body.code).toBe("invalid_input");
    expect(body.issues.map((i) => i.path).sort()).toEqual(["from", "min"]);
  });

  test.each(["agent", "warehouse_lead", "manager"] as const)("%s is refused with 403 and nothing is written", async (role) => {
    const before = tableCounts(db);
    const res = await runAs(users[role], () => GET(request()));
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain("refunds:export");
    expect(text).not.toContain("@"); // no customer email leaks into the refusal
    expect(tableCounts(db)).toEqual(before);
  });

  test("signed out is 401", async () => {
    const res = await runAs(null, () => GET(request()));
    expect(res.status).toBe(401);
  });
});
