import { z } from "zod";
import { queryRoute } from "../../../../lib/http.ts";
import { openAlertCount } from "../../../../db/queries/alerts.ts";
import { alertScopeOf, scopeFilter } from "../../../../lib/alerts/scope.ts";

export const dynamic = "force-dynamic";

/** GET /api/alerts/count → { ok, data: { open } }: polled by the navigation badge; a lead counts their own location's shipment alerts. */
export const GET = queryRoute({ schema: z.object({}), permission: "alerts:read" }, (_input, { user }) => {
  return Response.json({ ok: true, data: { open: openAlertCount(scopeFilter(alertScopeOf(user))) } }, { headers: { "Cache-Control": "no-store" } });
});
