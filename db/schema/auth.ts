import { sqliteTable, integer, text, index, primaryKey } from "drizzle-orm/sqlite-core";
import { createdAt, flag, timestamp } from "./columns.ts";

export const ROLES = ["agent", "warehouse_lead", "finance", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  /** scrypt$N$r$p$salt$hash, see lib/auth/password.ts */
  passwordHash: text("password_hash").notNull(),
  disabled: flag("disabled"),
  /** In every session token; bumped by sign-out, disabling, a role or password change, so older sessions end. */
  sessionVersion: integer("session_version").notNull().default(0),
  /** A warehouse lead's own location (locations.id): the shipments queue opens on it when no filter is given. */
  defaultLocationId: integer("default_location_id"),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at").notNull(),
});

/** Failed sign-ins per key ("account:<email>" or "ip:<addr>") in the current window. */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: timestamp("window_start").notNull(),
  lockedUntil: timestamp("locked_until"),
});

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** First characters of the key, shown in the admin list; the key itself is never stored. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at"),
    revokedAt: timestamp("revoked_at"),
    revokedBy: integer("revoked_by").references(() => users.id),
    /** Requests per minute this key may make (a token bucket per key); more is answered 429 with Retry-After. */
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(600),
  },
  (t) => [index("api_keys_prefix_idx").on(t.prefix)],
);

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    apiKeyId: integer("api_key_id").notNull().references(() => apiKeys.id),
    key: text("key").notNull(),
    /** sha256 of method, path and the canonical JSON body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    /** Null while the first request runs (claimed); set with the change, in its transaction. */
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    /** The headers replayed with the body (content type, location). */
    responseHeaders: text("response_headers", { mode: "json" }).$type<Record<string, string>>(),
    /** Which request holds the claim: only its transaction may store the response. */
    claimToken: text("claim_token"),
    /** A claim not finished by then was left by a process that died: the next request takes it over. */
    lockedUntil: timestamp("locked_until"),
    completedAt: timestamp("completed_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: timestamp("updated_at").notNull(),
  updatedBy: integer("updated_by").references(() => users.id),
});

/**
 * An invitation to join as staff: the admin names the email and role, the person sets their own password
 * at /invite/<token>. Only the token's sha256 is kept; it works once, until it expires or is revoked.
 */
export const staffInvites = sqliteTable(
  "staff_invites",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at").notNull(),
    acceptedAt: timestamp("accepted_at"),
    /** The account the invite became. */
    userId: integer("user_id").references(() => users.id),
    revokedAt: timestamp("revoked_at"),
    revokedBy: integer("revoked_by").references(() => users.id),
  },
  (t) => [index("staff_invites_email_idx").on(t.email)],
);
