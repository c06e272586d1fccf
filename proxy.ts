import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "./lib/env.ts";
import { servedOverHttps } from "./lib/forwarded.ts";
import { isDecodablePath } from "./lib/path-params.ts";
import { STATIC_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY, contentSecurityPolicy, newNonce } from "./lib/security-headers.ts";

const NOT_FOUND_PATH = "/not-found";

/**
 * Reachable signed out: the sign-in page, an invite link (its token is the credential), next-auth's own routes, the liveness probe, and the webhook
 * receivers (each checks its sender's signature over the raw body instead of a session).
 */
const PUBLIC = [/^\/login(?:\/|$)/, /^\/invite\/[^/]+$/, /^\/api\/auth(?:\/|$)/, /^\/api\/health$/, /^\/api\/webhooks\//];

/**
 * Every response gets the security headers, pages a per-request CSP nonce. Signed-out visitors go to
 * /login (pages) or get a 401 (API). Only the token's signature is checked here: every page, action and
 * route re-reads the user (currentUser), which also ends revoked sessions.
 */
export async function proxy(req: NextRequest) {
  const https = servedOverHttps(req.headers);
  const csp = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("content-security-policy", csp);
  // Lets the 403 page name what was refused.
  requestHeaders.set("x-switchyard-path", req.nextUrl.pathname);
  const response = await admit(req, requestHeaders, https);
  response.headers.set("Content-Security-Policy", csp);
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

async function admit(req: NextRequest, requestHeaders: Headers, https: boolean): Promise<NextResponse> {
  // A path Next.js cannot decode ("/orders/%FF") would be its bare 500; a route that exists nowhere is the app's 404.
  const pass = () =>
    isDecodablePath(req.nextUrl.pathname)
      ? NextResponse.next({ request: { headers: requestHeaders } })
      : NextResponse.rewrite(new URL(NOT_FOUND_PATH, req.url), { request: { headers: requestHeaders } });
  if (PUBLIC.some((p) => p.test(req.nextUrl.pathname))) return pass();
  if (await getToken({ req, secret: env().AUTH_SECRET, secureCookie: https })) return pass();
  if (req.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ ok: false, code: "unauthenticated", message: "Sign in first." }, { status: 401 });
  }
  const login = new URL("/login", req.url);
  const target = req.nextUrl.pathname + req.nextUrl.search;
  if (target !== "/") login.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(login);
}

export const config = {
  // api/v1 authenticates by API key (lib/api/operation.ts) and api/docs is public with its own policy: no session check for either.
  matcher: ["/((?!api/v1/|api/docs|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico)$).*)"],
};
