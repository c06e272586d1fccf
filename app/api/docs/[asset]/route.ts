import { docsAsset } from "../../../../lib/api/docs.ts";

/** Swagger UI's files and our start-up script, from our own origin. */
export function GET(req: Request): Response {
  const asset = docsAsset(new URL(req.url).pathname.split("/").pop() ?? "");
  if (!asset) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(asset.body, { headers: { "content-type": asset.type, "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" } });
}
