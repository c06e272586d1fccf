import { z } from "zod";
import { queryRoute } from "../../../lib/http.ts";
import { ORDER_STATUSES } from "../../../db/schema/index.ts";
import { MAX_LIMIT, searchOrders } from "../../../lib/search/search.ts";
import { MAX_QUERY_LENGTH } from "../../../lib/search/query.ts";

export const dynamic = "force-dynamic";

const params = z.object({
  q: z.string().max(MAX_QUERY_LENGTH, `Search for at most ${MAX_QUERY_LENGTH} characters.`).default(""),
  status: z.array(z.enum(ORDER_STATUSES, { error: `status must be one of ${ORDER_STATUSES.join(", ")}` })).default([]),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
});

/** GET /api/search?q=&status=&cursor=&limit= → SearchResult. Needs orders:read; contact fields per role. */
export const GET = queryRoute(
  {
    schema: params,
    permission: "orders:read",
    params: (url) => ({
      q: url.searchParams.get("q") ?? undefined,
      // ?status=paid&status=pending and ?status=paid,pending both work.
      status: url.searchParams.getAll("status").flatMap((s) => s.split(",")).filter(Boolean),
      cursor: url.searchParams.get("cursor") || undefined,
      limit: url.searchParams.get("limit") ?? undefined,
    }),
  },
  async ({ q, status, cursor, limit }, { user }) => {
    const result = await searchOrders({ q, filters: { status }, cursor, limit, user });
    return Response.json({ ok: true, data: result }, { headers: { "Cache-Control": "no-store" } });
  },
);
