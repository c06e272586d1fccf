import "server-only";
import type { z } from "zod";
import type { Result } from "./errors.ts";
import type { Permission } from "./auth/permissions.ts";
import { currentUser, outsideRequest } from "./auth/session.ts";
import { revalidatePath } from "next/cache";
import { guarded, type GuardContext, type Guarded } from "./guard.ts";

export type ActionContext = GuardContext;
export type { Guarded };

/**
 * The one door for server actions: the session read from the cookie, then the guard core (permission,
 * zod input, the body, DomainErrors as result codes). A body writes through ctx.write, which re-checks the
 * caller's role inside its transaction.
 */
export function action<S extends z.ZodType, T>(
  opts: { schema: S; permission: Permission },
  body: (input: z.output<S>, ctx: ActionContext) => T | Promise<T>,
): ((input: z.input<S>) => Promise<Result<T>>) & Guarded {
  const run = async (raw: z.input<S>): Promise<Result<T>> => {
    const answer = await guarded(opts, await currentUser(), raw, body);
    if (answer.ok) return answer;
    if (!answer.issues) return { ok: false, code: answer.code, message: answer.message };
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of answer.issues) (fieldErrors[issue.path || "_"] ??= []).push(issue.message);
    return { ok: false, code: answer.code, message: answer.message, fieldErrors };
  };
  return Object.assign(run, { permission: opts.permission });
}

/** Refreshes a server-rendered page after a committed change; a no-op outside a Next request. */
export function refreshPage(path: string): void {
  if (!outsideRequest()) revalidatePath(path);
}
