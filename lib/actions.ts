import "server-only";
import type { z } from "zod";
import { DomainError, type Result } from "./errors.ts";
import { can, type Permission, type SessionUser } from "./auth/permissions.ts";
import { actorOf, currentUser, outsideRequest } from "./auth/session.ts";
import { revalidatePath } from "next/cache";
import type { Actor } from "./audit.ts";

export type ActionContext = { user: SessionUser; actor: Actor };

/** What every wrapped action and route carries, so the permission-matrix test can read what it needs. */
export type Guarded = { readonly permission: Permission };

/**
 * The one door for server actions: session, permission, zod input, then the body.
 * A DomainError from the body (thrown inside its transaction, so nothing was written)
 * becomes the result's code; anything else is a bug and is rethrown.
 */
export function action<S extends z.ZodType, T>(
  opts: { schema: S; permission: Permission },
  body: (input: z.output<S>, ctx: ActionContext) => T | Promise<T>,
): ((input: z.input<S>) => Promise<Result<T>>) & Guarded {
  const run = async (raw: z.input<S>): Promise<Result<T>> => {
    const user = await currentUser();
    if (!user) return { ok: false, code: "unauthenticated", message: "Your session has ended. Sign in again." };
    if (!can(user, opts.permission)) {
      return { ok: false, code: "forbidden", message: `Your role may not do this (needs ${opts.permission}).` };
    }
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".") || "_";
        (fieldErrors[key] ??= []).push(issue.message);
      }
      return { ok: false, code: "invalid_input", message: "Some fields need attention.", fieldErrors };
    }
    try {
      return { ok: true, data: await body(parsed.data, { user, actor: actorOf(user) }) };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  };
  return Object.assign(run, { permission: opts.permission });
}

/** Refreshes a server-rendered page after a committed change; a no-op outside a Next request. */
export function refreshPage(path: string): void {
  if (!outsideRequest()) revalidatePath(path);
}
