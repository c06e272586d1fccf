import "server-only";
import type { z } from "zod";
import { HTTP_STATUS, DomainError, type ErrorCode } from "./errors.ts";
import { can, type Permission, type SessionUser } from "./auth/permissions.ts";
import { currentUser } from "./auth/session.ts";

export function problem(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ ok: false, code, message, ...extra }, { status: HTTP_STATUS[code] });
}

/**
 * The route-handler twin of the action wrapper: session, permission, JSON body parsed with zod,
 * then the body; DomainErrors map to their HTTP status in one table (lib/errors.ts).
 */
export function route<S extends z.ZodType>(
  opts: { schema: S; permission: Permission },
  body: (input: z.output<S>, ctx: { user: SessionUser; req: Request }) => unknown,
): ((req: Request) => Promise<Response>) & { readonly permission: Permission } {
  const handler = async (req: Request): Promise<Response> => {
    const user = await currentUser();
    if (!user) return problem("unauthenticated", "Sign in first.");
    if (!can(user, opts.permission)) return problem("forbidden", `Your role may not do this (needs ${opts.permission}).`);
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      return problem("invalid_input", "The request body is not valid JSON.");
    }
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) {
      return problem("invalid_input", "Some fields need attention.", {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    try {
      return Response.json({ ok: true, data: await body(parsed.data, { user, req }) });
    } catch (error) {
      if (error instanceof DomainError) return problem(error.code, error.message);
      throw error;
    }
  };
  return Object.assign(handler, { permission: opts.permission });
}

/**
 * For GET handlers: session, permission, then the URL's query parameters parsed with zod; the body
 * returns its own Response (a JSON answer or a stream). Same status table as route().
 */
export function queryRoute<S extends z.ZodType>(
  opts: { schema: S; permission: Permission },
  body: (input: z.output<S>, ctx: { user: SessionUser; req: Request }) => Response | Promise<Response>,
): ((req: Request) => Promise<Response>) & { readonly permission: Permission } {
  const handler = async (req: Request): Promise<Response> => {
    const user = await currentUser();
    if (!user) return problem("unauthenticated", "Sign in first.");
    if (!can(user, opts.permission)) return problem("forbidden", `Your role may not do this (needs ${opts.permission}).`);
    const parsed = opts.schema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!parsed.success) {
      return problem("invalid_input", "Some query parameters need attention.", {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    try {
      return await body(parsed.data, { user, req });
    } catch (error) {
      if (error instanceof DomainError) return problem(error.code, error.message);
      throw error;
    }
  };
  return Object.assign(handler, { permission: opts.permission });
}
