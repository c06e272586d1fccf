import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Role } from "../../db/schema/auth.ts";
import type { SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import type { SearchResult } from "../../lib/search/types.ts";
import { seededAppDatabase } from "../support/app-db.ts";
import { closedPort } from "../support/ports.ts";

// The app configured for an Elasticsearch node that is not there (stopped, or never started).
let users: Record<Role, SessionUser>;
let cleanup: () => void;
let GET: (req: Request) => Promise<Response>;
let number: string;

beforeAll(async () => {
  process.env.ELASTICSEARCH_URL = `http://127.0.0.1:${await closedPort()}`;
  process.env.ELASTICSEARCH_TIMEOUT_MS = "500";
  let db;
  ({ db, users, cleanup } = await seededAppDatabase({ orders: 120, buildElasticsearch: false }));
  number = (db.$client.prepare("SELECT number FROM orders WHERE id = 42").get() as { number: string }).number;
  ({ GET } = await import("../../app/api/search/route.ts"));
}, 120_000);
afterAll(() => cleanup?.());

const get = async (user: SessionUser, query: string) => {
  const res = await runAs(user, () => GET(new Request(`http://localhost/api/search?${query}`)));
  return { status: res.status, data: ((await res.json()) as { data: SearchResult }).data };
};

describe("GET /api/search with Elasticsearch configured but down", () => {
  test("answers 200 from the local index, marked degraded with a reason, and still finds an exact order number", async () => {
    const started = performance.now();
    const { status, data } = await get(users.agent, `q=${encodeURIComponent(number)}`);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(status).toBe(200);
    expect(data).toMatchObject({ backend: "embedded", degraded: true, reason: expect.any(String), notice: expect.any(String) });
    expect(data.hits[0]).toMatchObject({ orderId: 42, number });
  });

  test("finds the order however its number is pasted", async () => {
    const digits = number.slice(3);
    for (const q of [`#${digits}`, `SY–${digits}`, `SY_${digits}`, `${number}.`, `order ${number}`]) {
      const { data } = await get(users.agent, `q=${encodeURIComponent(q)}`);
      expect(data.hits[0]?.number, q).toBe(number);
    }
  });
});
