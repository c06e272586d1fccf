import { z } from "zod";
import { queryRoute } from "../../../../lib/http.ts";
import { openAlertCount } from "../../../../db/queries/alerts.ts";

export const dynamic = "force-dynamic";

/** GET /api/alerts/count → { ok, data: { open } }: polled by the navigation badge. */
export const GET = queryRoute({ schema: z.object({}), permission: "alerts:read" }, () =>
  Response.json({ ok: true, data: { open: openAlertCount() } }, { headers: { "Cache-Control": "no-store" } }),
);
