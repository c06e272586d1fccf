import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { SearchResult } from "../../lib/search/types.ts";
import { seededAppDatabase } from "../support/app-db.ts";

let users: Record<Role, SessionUser>;
let cleanup: () => void;
let GET: (req: Request) => Promise<Response>;

beforeAll(async () => {
  ({ users, cleanup } = await seededAppDatabase({ orders: 200 }));
  ({ GET } = await import("../../app/api/search/route.ts"));
}, 120_000);
afterAll(() => cleanup?.());

const get = (user: SessionUser | null, query: string) => runAs(user, () => GET(new Request(`http://localhost/api/search?${query}`)));

describe("GET /api/search", () => {
  test("signed out is 401 with a problem body, and nothing is searched", async () => {
    const res = await get(null, "q=garcia");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  test("answers every role that may read orders with the one result shape", async () => {
    for (const role of ["agent", "warehouse_lead", "finance", "manager", "admin"] as const) {
      const res = await get(users[role], "q=Jose%20Garcia&limit=5");
      expect(res.status, role).toBe(200);
      const { data } = (await res.json()) as { data: SearchResult };
      expect(data.backend).toBe(process.env.ELASTICSEARCH_URL ? "elasticsearch" : "embedded");
      expect(data.hits.length).toBeGreaterThan(0);
      expect(data.hits.length).toBeLessThanOrEqual(5);
      expect(data.hits[0]).toMatchObject({ customerName: "José García", number: expect.stringMatching(/^SY-\d+$/) });
      expect(typeof data.tookMs).toBe("number");
    }
  });

  test("pages with the cursor and filters by status (comma-separated or repeated)", async () => {
    const all = ((await (await get(users.agent, "q=garcia&limit=50")).json()) as { data: SearchResult }).data.hits.map((h) => h.number);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `q=garcia&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { data }: { data: SearchResult } = await (await get(users.agent, query)).json();
      paged.push(...data.hits.map((h) => h.number));
      cursor = data.nextCursor;
    } while (cursor && paged.length < 100);
    expect(paged).toEqual(all);

    for (const query of ["q=garcia&status=delivered,cancelled", "q=garcia&status=delivered&status=cancelled"]) {
      const { data } = (await (await get(users.agent, query)).json()) as { data: SearchResult };
      expect(data.hits.length).toBeGreaterThan(0);
      expect(data.hits.every((h) => h.status === "delivered" || h.status === "cancelled")).toBe(true);
    }
  });

  test("refuses an unknown status, an overlong query and a foreign cursor with 400 and says why", async () => {
    const bad = await get(users.agent, "q=garcia&status=lost");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ path: expect.stringContaining("status") })] });
    expect((await get(users.agent, `q=${"x".repeat(201)}`)).status).toBe(400);
    const cursor = await get(users.agent, "q=garcia&cursor=not-a-cursor");
    expect(cursor.status).toBe(400);
    expect(await cursor.json()).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/cursor/) });
  });

  test("a cursor with a well-formed envelope but a bad inside (wrong types, negative ids, unknown keys) is a 400 that says so, never page one", async () => {
    const first = ((await (await get(users.agent, "q=garcia&limit=2")).json()) as { data: SearchResult }).data;
    expect(first.nextCursor).not.toBeNull();
    const envelope = JSON.parse(Buffer.from(first.nextCursor!, "base64url").toString("utf8")) as { b: string; a: string };
    const wrap = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const insides =
      envelope.b === "elasticsearch"
        ? ["[-1,5]", "[1,-5]", '[1,"5"]', "[1]", "[1,2.5]", "{}", "7"]
        : ["-1:5", "1:-5", "1:0", "cheap:5", "1:5:9", "1.5"];
    const cursors = [
      ...insides.map((a) => wrap({ b: envelope.b, a })),
      wrap({ b: envelope.b, a: 5 }),
      wrap({ b: envelope.b, a: "" }),
      wrap({ b: envelope.b, a: envelope.a, extra: 1 }),
      wrap({ a: envelope.a }),
      wrap({ b: envelope.b === "embedded" ? "elasticsearch" : "embedded", a: envelope.a }),
      wrap([envelope.b, envelope.a]),
      Buffer.from("not json").toString("base64url"),
    ];
    for (const cursor of cursors) {
      const res = await get(users.agent, `q=garcia&limit=2&cursor=${encodeURIComponent(cursor)}`);
      const inside = Buffer.from(cursor, "base64url").toString("utf8");
      expect(res.status, inside).toBe(400);
      expect(await res.json(), inside).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringMatching(/^The page cursor is not valid for this search \(.+\); start again from the first page\.$/) });
    }
    // The real cursor still pages.
    expect((await get(users.agent, `q=garcia&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)).status).toBe(200);
  });

  test("an overlong query is refused with the limit in words", async () => {
    const res = await get(users.agent, `q=${"x".repeat(201)}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ issues: [{ path: "q", message: "Search for at most 200 characters." }] });
  });

  test("an empty query is an empty answer, not an error", async () => {
    const { data } = (await (await get(users.agent, "q=")).json()) as { data: SearchResult };
    expect(data.hits).toEqual([]);
    expect(data.nextCursor).toBeNull();
  });
});
