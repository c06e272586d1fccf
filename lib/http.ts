import "server-only";
import type { z } from "zod";
import { HTTP_STATUS, type ErrorCode } from "./errors.ts";
import type { Permission } from "./auth/permissions.ts";
import { currentUser } from "./auth/session.ts";
import { guarded, type GuardContext, type Guarded } from "./guard.ts";

export function problem(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ ok: false, code, message, ...extra }, { status: HTTP_STATUS[code] });
}

type RouteContext = GuardContext & { req: Request };

function refusal(answer: { code: ErrorCode; message: string; issues?: { path: string; message: string }[] }): Response {
  return problem(answer.code, answer.code === "unauthenticated" ? "Sign in first." : answer.message, answer.issues ? { issues: answer.issues } : {});
}

/** The route-handler twin of the action wrapper: session, then the guard core over the JSON body. */
export function route<S extends z.ZodType>(
  opts: { schema: S; permission: Permission },
  body: (input: z.output<S>, ctx: RouteContext) => unknown,
): ((req: Request) => Promise<Response>) & Guarded {
  const handler = async (req: Request): Promise<Response> => {
    const user = await currentUser(req);
    let raw: unknown;
    if (user) {
      try {
        raw = await req.json();
      } catch {
        return problem("invalid_input", "The request body is not valid JSON.");
      }
    }
    const answer = await guarded(opts, user, raw, (input, ctx) => body(input, { ...ctx, req }));
    return answer.ok ? Response.json({ ok: true, data: answer.data }) : refusal(answer);
  };
  return Object.assign(handler, { permission: opts.permission });
}

/**
 * For GET handlers: session, then the guard core over the URL's query parameters (read by `params`,
 * default: each parameter once); the body returns its own Response (a JSON answer or a stream).
 */
export function queryRoute<S extends z.ZodType>(
  opts: { schema: S; permission: Permission; params?: (url: URL) => unknown },
  body: (input: z.output<S>, ctx: RouteContext) => Response | Promise<Response>,
): ((req: Request) => Promise<Response>) & Guarded {
  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const raw = opts.params ? opts.params(url) : Object.fromEntries(url.searchParams);
    const answer = await guarded(opts, await currentUser(req), raw, (input, ctx) => body(input, { ...ctx, req }));
    return answer.ok ? answer.data : refusal(answer);
  };
  return Object.assign(handler, { permission: opts.permission });
}

