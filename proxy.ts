import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "./lib/env.ts";

/** Signed-out visitors go to /login (pages) or get a 401 (API); the role checks live on the server. */
export async function proxy(req: NextRequest) {
  const token = await getToken({ req, secret: env().AUTH_SECRET });
  if (token) {
    // Lets the 403 page name what was refused.
    const headers = new Headers(req.headers);
    headers.set("x-switchyard-path", req.nextUrl.pathname);
    return NextResponse.next({ request: { headers } });
  }
  if (req.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ ok: false, code: "unauthenticated", message: "Sign in first." }, { status: 401 });
  }
  const login = new URL("/login", req.url);
  const target = req.nextUrl.pathname + req.nextUrl.search;
  if (target !== "/") login.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(login);
}

export const config = {
  // api/v1 authenticates by API key (lib/api/operation.ts) and api/docs is public: no session check for either.
  matcher: ["/((?!api/auth|api/health|api/webhooks/|api/v1/|api/docs|login|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico)$).*)"],
};
