import http from "node:http";
import { problemAnswer } from "./problem.ts";
import { allowedMethods } from "./proxy.ts";

const patched = Symbol.for("switchyard.refusesTrace");

/**
 * Next cannot build a Request for TRACE or TRACK (the Fetch standard forbids them) and answers every such
 * request with a 500 before any of our code runs; this answers them 405 with Allow at the HTTP server,
 * as RFC 9110 wants for a method a resource does not support. Installed once per server process.
 */
export function refuseTraceRequests(): void {
  const proto = http.Server.prototype as unknown as { emit: (event: string, ...args: unknown[]) => boolean; [patched]?: true };
  if (proto[patched]) return;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (event === "request" && (req.method === "TRACE" || req.method === "TRACK")) {
      const path = (req.url ?? "/").split("?")[0]!;
      const allow = (allowedMethods(path) ?? ["GET", "HEAD", "OPTIONS", "POST"]).join(", ");
      const answer = problemAnswer("method_not_allowed", `${path} does not answer ${req.method}.`, { instance: path, headers: { allow } });
      res.writeHead(answer.status, answer.headers).end(answer.body);
      req.resume();
      return true;
    }
    return emit.call(this, event, ...args);
  };
  proto[patched] = true;
}
