import "server-only";
import type { z } from "zod";
import { database } from "../db/index.ts";
import type { Tx } from "../db/client.ts";
import { readActor } from "../db/queries/users.ts";
import { DomainError, type ErrorCode } from "./errors.ts";
import { can, type Permission, type SessionUser } from "./auth/permissions.ts";
import { actorOf } from "./auth/session.ts";
import type { Actor } from "./audit.ts";

/** path: dotted, for forms; pointer: RFC 6901, for the API's problem+json. */
type FieldIssue = { path: string; pointer: string; message: string };
/** details: what the refusal is about (e.g. the order's current status), for transports that answer with it. */
export type Refusal = { code: ErrorCode; message: string; issues?: FieldIssue[]; details?: Record<string, unknown> };

/**
 * Who asks, however the transport read it (a session's user, an API key): the permission check before
 * anything runs, and the same check re-read inside the write transaction.
 */
export type Caller = {
  actor: Actor;
  may(permission: Permission): boolean;
  /** Why may() said no, in the caller's terms (a role, a key's scopes). */
  refusedBecause(permission: Permission): string;
  /** Throws a DomainError when the caller was disabled, revoked or lost the permission meanwhile. */
  authoriseAtWrite(tx: Tx, permission: Permission): void;
};

/** What a guarded body receives from any transport: as whom it is audited, and the one way to write. */
export type CallerContext = {
  actor: Actor;
  /**
   * Runs body in one immediate write transaction after re-reading the caller inside it, so a user demoted
   * or disabled (or a key revoked) while the request awaited (hashing, network) writes nothing.
   */
  write<T>(body: (tx: Tx, at: number) => T): T;
};

/** What a session's guarded body receives: the caller context and the signed-in user. */
export type GuardContext = CallerContext & { user: SessionUser };

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

/** A signed-in user as a caller: PERMISSIONS by role, re-read from the users table at write. */
function sessionCaller(user: SessionUser): Caller {
  return {
    actor: actorOf(user),
    may: (permission) => can(user, permission),
    refusedBecause: (permission) => `Your role may not do this (needs ${permission}).`,
    authoriseAtWrite: (tx, permission) => authoriseAtWrite(tx, user, permission),
  };
}

function contextFor(caller: Caller, permission: Permission): CallerContext {
  return {
    actor: caller.actor,
    write: (body) =>
      database().transaction(
        (tx) => {
          caller.authoriseAtWrite(tx, permission);
          return body(tx, Date.now());
        },
        { behavior: "immediate" },
      ),
  };
}

const pointerOf = (path: PropertyKey[]) => path.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join("."), pointer: pointerOf(i.path), message: i.message }));
}

/** The one mapping of a thrown error to a refusal: DomainErrors are answers, anything else is a bug and rethrown. */
export function refusalOf(error: unknown): Refusal {
  if (error instanceof DomainError) return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  throw error;
}

/**
 * The one chain between a caller and the domain: who (already read by the transport: session, API key),
 * permission, zod input, the body, and DomainErrors turned into refusals. Transports differ only in how
 * they read the caller and shape the answer (action result, JSON, problem+json).
 */
export async function guardedAs<S extends z.ZodType, T>(
  opts: { schema: S; permission: Permission },
  caller: Caller | null,
  raw: unknown,
  body: (input: z.output<S>, ctx: CallerContext) => T | Promise<T>,
): Promise<{ ok: true; data: T } | ({ ok: false } & Refusal)> {
  if (!caller) return { ok: false, code: "unauthenticated", message: "Your session has ended. Sign in again." };
  if (!caller.may(opts.permission)) return { ok: false, code: "forbidden", message: caller.refusedBecause(opts.permission) };
  const parsed = opts.schema.safeParse(raw);
  if (!parsed.success) return { ok: false, code: "invalid_input", message: "Some fields need attention.", issues: issuesOf(parsed.error) };
  try {
    return { ok: true, data: await body(parsed.data, contextFor(caller, opts.permission)) };
  } catch (error) {
    return { ok: false, ...refusalOf(error) };
  }
}

/** The guard core for a session's user (server actions, route handlers). */
export function guarded<S extends z.ZodType, T>(
  opts: { schema: S; permission: Permission },
  user: SessionUser | null,
  raw: unknown,
  body: (input: z.output<S>, ctx: GuardContext) => T | Promise<T>,
): Promise<{ ok: true; data: T } | ({ ok: false } & Refusal)> {
  return guardedAs(opts, user ? sessionCaller(user) : null, raw, (input, ctx) => body(input, { ...ctx, user: user! }));
}
