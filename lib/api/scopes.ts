import type { Permission } from "../auth/permissions.ts";

export const API_SCOPES = ["orders:read", "orders:write", "orders:cancel"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * What each API key scope lets a key do, in the guard's permissions: the one place scopes meet PERMISSIONS.
 * A key reads contact and payment details with orders:read: the checkout that placed the order owns them.
 */
export const SCOPE_GRANTS: Record<ApiScope, readonly Permission[]> = {
  "orders:read": ["orders:read", "orders:read_contact", "orders:read_payment"],
  "orders:write": ["orders:place", "payments:record"],
  "orders:cancel": ["orders:cancel"],
};

export const SCOPE_LABELS: Record<ApiScope, string> = {
  "orders:read": "Read orders (with customer contact and payment details)",
  "orders:write": "Place orders and record captured payments",
  "orders:cancel": "Cancel orders",
};

export function scopesGrant(scopes: readonly string[], permission: Permission): boolean {
  return scopes.some((s) => (SCOPE_GRANTS as Record<string, readonly Permission[] | undefined>)[s]?.includes(permission) ?? false);
}

/** The scope a key needs for this permission (for messages and the OpenAPI document). */
export function scopeFor(permission: Permission): ApiScope {
  const scope = API_SCOPES.find((s) => SCOPE_GRANTS[s].includes(permission));
  if (!scope) throw new Error(`No API scope grants ${permission}.`);
  return scope;
}
