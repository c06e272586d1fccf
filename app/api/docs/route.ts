import { DOCS_CSP, DOCS_PAGE } from "../../../lib/api/docs.ts";

/** The orders API reference (public, like the OpenAPI document it renders). */
export function GET(): Response {
  return new Response(DOCS_PAGE, { headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": DOCS_CSP, "x-content-type-options": "nosniff" } });
}
