import { z } from "zod";
import { env } from "../../../../lib/env.ts";
import { problem, queryRoute } from "../../../../lib/http.ts";
import { parseRefundFilters } from "../../../../lib/refunds/filters.ts";
import { refundCsvStream } from "../../../../lib/refunds/export.ts";

export const dynamic = "force-dynamic";

/**
 * GET /api/refunds/export?from&to&status&min&max&requestedBy&decidedBy&order — the refund history's
 * filtered set as CSV, streamed row by row (customer data: finance and admin only).
 */
export const GET = queryRoute({ schema: z.record(z.string(), z.string()), permission: "refunds:export" }, (query) => {
  const { filters, errors } = parseRefundFilters(query);
  if (Object.keys(errors).length) {
    return problem("invalid_input", "Some filters need attention.", { issues: Object.entries(errors).map(([path, message]) => ({ path, message })) });
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(refundCsvStream(env().DATABASE_PATH, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="refunds-${day}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
