import { NextResponse, type NextRequest } from "next/server";
import { problemAnswer } from "./problem.ts";
import { OPERATIONS } from "./v1/operations.ts";

const templates = Object.values(OPERATIONS).reduce<Map<string, { pattern: RegExp; methods: Set<string> }>>((m, op) => {
  const entry = m.get(op.path) ?? { pattern: new RegExp(`^/api/v1${op.path.replace(/\{\w+\}/g, "[^/]+")}/?$`), methods: new Set(["OPTIONS"]) };
  entry.methods.add(op.method);
  if (op.method === "GET") entry.methods.add("HEAD");
  return m.set(op.path, entry);
}, new Map());

/** The methods an orders API path answers, or null for a path that is not one of its routes. */
export function allowedMethods(path: string): string[] | null {
  const route = [...templates.values()].find((t) => t.pattern.test(path));
  return route ? [...route.methods] : null;
}

/**
 * The orders API (API keys) and its reference (public) skip the session check; a method a path does not
 * document is a 405 with Allow here, as Next's own 405s carry none (TRACE never gets this far: lib/api/refuse-trace.ts).
 */
export function apiWithoutSession(req: NextRequest): NextResponse | null {
  const path = req.nextUrl.pathname;
  if (path === "/api/docs" || path.startsWith("/api/docs/")) return NextResponse.next();
  if (!path.startsWith("/api/v1/")) return null;
  const methods = allowedMethods(path);
  if (methods && !methods.includes(req.method)) {
    const allow = methods.join(", ");
    const answer = problemAnswer("method_not_allowed", `${path} answers ${allow}, not ${req.method}.`, { instance: path, headers: { allow } });
    return new NextResponse(answer.body, { status: answer.status, headers: answer.headers });
  }
  return NextResponse.next();
}
