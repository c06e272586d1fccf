import http from "node:http";
import { problemAnswer } from "./problem.ts";
import { OPERATIONS } from "./v1/operations.ts";

const routes = Object.values(OPERATIONS).reduce<Map<string, { pattern: RegExp; methods: Set<string> }>>((m, op) => {
  const entry = m.get(op.path) ?? { pattern: new RegExp(`^/api/v1${op.path.replace(/\{\w+\}/g, "[^/]+")}/?$`), methods: new Set(["OPTIONS"]) };
  entry.methods.add(op.method);
  if (op.method === "GET") entry.methods.add("HEAD");
  return m.set(op.path, entry);
}, new Map());

/** The methods an orders API path answers, or null for a path that is not one of its routes. */
export function allowedMethods(path: string): string[] | null {
  const route = [...routes.values()].find((r) => r.pattern.test(path));
  return route ? [...route.methods] : null;
}

/** The answer to a method this path does not support (RFC 9110: 405 with Allow), or null to let Next answer. */
export function undeclaredMethod(method: string, url: string): { status: number; headers: Record<string, string>; body: string } | null {
  const path = url.split("?")[0]!;
  const allowed = allowedMethods(path);
  const trace = method === "TRACE" || method === "TRACK";
  if (!trace && (!allowed || allowed.includes(method))) return null;
  const allow = (allowed ?? ["GET", "HEAD", "OPTIONS", "POST"]).join(", ");
  return problemAnswer("method_not_allowed", `${path} answers ${allow}, not ${method}.`, { instance: path, headers: { allow } });
}

const patched = Symbol.for("switchyard.undeclaredMethods");

/**
 * Answers undeclared methods at the HTTP server, before Next: Next cannot build a Request for TRACE (the
 * Fetch standard forbids it) and answers it with a 500 on every route, and its own 405s carry no Allow.
 * Installed once per server process (instrumentation.ts).
 */
export function answerUndeclaredMethods(): void {
  const proto = http.Server.prototype as unknown as { emit: (event: string, ...args: unknown[]) => boolean; [patched]?: true };
  if (proto[patched]) return;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      const answer = undeclaredMethod(req.method ?? "GET", req.url ?? "/");
      if (answer) {
        req.resume();
        res.writeHead(answer.status, answer.headers).end(answer.body);
        return true;
      }
    }
    return emit.call(this, event, ...args);
  };
  proto[patched] = true;
}
