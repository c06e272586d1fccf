import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The API reference page: Swagger UI from the swagger-ui-dist package, every file served from our origin
 * (nothing from a CDN) and no inline script, under a Content-Security-Policy of its own.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Swagger UI sets style attributes from React.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard orders API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" aria-label="Switchyard orders API reference"></main>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

/** Our own start-up script, a file like the others so the policy needs no inline script or nonce. */
const INIT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
  });
});
`;

const FILES: Record<string, string> = { "swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8", "init.js": "text/javascript; charset=utf-8" };
const cache = new Map<string, string>();

/** One of the page's assets by name, or null; read once from node_modules/swagger-ui-dist. */
export function docsAsset(name: string): { body: string; type: string } | null {
  const type = FILES[name];
  if (!type) return null;
  let body = cache.get(name);
  if (body === undefined) {
    body = name === "init.js" ? INIT : readFileSync(path.join(process.cwd(), "node_modules", "swagger-ui-dist", name), "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
    cache.set(name, body);
  }
  return { body, type };
}
