import "server-only";
import type { z } from "zod";
import { database } from "../db/index.ts";
import type { Tx } from "../db/client.ts";
import { readActor } from "../db/queries/users.ts";
import { DomainError, type ErrorCode } from "./errors.ts";
import { can, type Permission, type SessionUser } from "./auth/permissions.ts";
import { actorOf } from "./auth/session.ts";
import type { Actor } from "./audit.ts";

type FieldIssue = { path: string; message: string };
export type Refusal = { code: ErrorCode; message: string; issues?: FieldIssue[] };

/** What a guarded body receives: who asks, as whom it is audited, and the one way to write. */
export type GuardContext = {
  user: SessionUser;
  actor: Actor;
  /**
   * Runs body in one immediate write transaction after re-reading the caller's role and enabled flag
   * inside it, so a user demoted or disabled while the request awaited (hashing, network) writes nothing.
   */
  write<T>(body: (tx: Tx, at: number) => T): T;
};

/** What every wrapped action and route carries, so the permission-matrix test can read what it needs. */
export type Guarded = { readonly permission: Permission };

/**
 * Re-checks, inside the caller's write transaction, that the user still exists, is enabled, holds the
 * same session and may still do this. Throws, so the transaction rolls back and nothing is written.
 */
function authoriseAtWrite(tx: Tx, user: SessionUser, permission: Permission): void {
  const row = readActor(tx, user.id);
  if (!row || row.disabled || (user.sessionVersion !== undefined && row.sessionVersion !== user.sessionVersion)) {
    throw new DomainError("unauthenticated", "Your session has ended. Sign in again.");
  }
  if (!can({ role: row.role }, permission)) {
    throw new DomainError("forbidden", `Your role may not do this any more (needs ${permission}).`);
  }
}

function contextFor(user: SessionUser, permission: Permission): GuardContext {
  return {
    user,
    actor: actorOf(user),
    write: (body) =>
      database().transaction(
        (tx) => {
          authoriseAtWrite(tx, user, permission);
          return body(tx, Date.now());
        },
        { behavior: "immediate" },
      ),
  };
}

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

/**
 * The one chain between a caller and the domain: who (already read by the transport: session, API key),
 * permission, zod input, the body, and DomainErrors turned into refusals. Transports differ only in how
 * they read the caller and shape the answer (action result, JSON, problem+json).
 */
export async function guarded<S extends z.ZodType, T>(
  opts: { schema: S; permission: Permission },
  user: SessionUser | null,
  raw: unknown,
  body: (input: z.output<S>, ctx: GuardContext) => T | Promise<T>,
): Promise<{ ok: true; data: T } | ({ ok: false } & Refusal)> {
  if (!user) return { ok: false, code: "unauthenticated", message: "Your session has ended. Sign in again." };
  if (!can(user, opts.permission)) return { ok: false, code: "forbidden", message: `Your role may not do this (needs ${opts.permission}).` };
  const parsed = opts.schema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "invalid_input", message: "Some fields need attention.", issues: issuesOf(parsed.error) };
  try {
    return { ok: true, data: await body(parsed.data, contextFor(user, opts.permission)) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
