import { z } from "zod";
import { env } from "../../../../lib/env.ts";
import { problem, queryRoute } from "../../../../lib/http.ts";
import { exportFileName, parseRefundFilters } from "../../../../lib/refunds/filters.ts";
import { refundCsvStream } from "../../../../lib/refunds/export.ts";
import { zoneFromCookieHeader } from "../../../../lib/refunds/viewer-zone.ts";

export const dynamic = "force-dynamic";

/**
 * GET /api/refunds/export?period&from&to&tz&status&currency&min&max&requestedBy&decidedBy&order — the
 * refund history's filtered set as CSV, read by the same parser as the page (lib/refunds/filters.ts),
 * streamed row by row (customer data: finance and admin only). The file name carries the range.
 */
export const GET = queryRoute({ schema: z.record(z.string(), z.string()), permission: "refunds:export" }, (query, { req }) => {
  const parsed = parseRefundFilters(query, { defaultTz: zoneFromCookieHeader(req.headers.get("cookie")) });
  if (Object.keys(parsed.errors).length) {
    return problem("invalid_input", "Some filters need attention.", { issues: Object.entries(parsed.errors).map(([path, message]) => ({ path, message })) });
  }
  const today = new Date().toISOString().slice(0, 10);
  return new Response(refundCsvStream(env().DATABASE_PATH, parsed.filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(parsed, today)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
