import { openApiDocument } from "../../../../lib/api/v1/openapi.ts";

/** Public, like any API's reference: generated once per process from the validating schemas. */
let document: string | undefined;

export function GET(): Response {
  document ??= JSON.stringify(openApiDocument(), null, 2);
  return new Response(document, { headers: { "content-type": "application/json", "cache-control": "public, max-age=300" } });
}
