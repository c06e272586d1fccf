import { sql } from "drizzle-orm";
import { database } from "../../../db/index.ts";

export const dynamic = "force-dynamic";

/** Liveness for the start script and the e2e server: the database answers. */
export function GET() {
  const row = database().get<{ orders: number }>(sql`SELECT count(*) AS orders FROM orders`);
  return Response.json({ ok: true, orders: row.orders });
}
