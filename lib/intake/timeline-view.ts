import { can, type SessionUser } from "../auth/permissions.ts";

/**
 * Raw payloads from the storefront and the payment provider carry email, phone and amounts: only roles that
 * may read both contact and payment details receive them. The warehouse's own events carry neither.
 */
export function rawPayloadsFor<T extends { raw?: string | null; source?: string; detail: string | null }>(entries: T[], user: Pick<SessionUser, "role">): T[] {
  if (can(user, "orders:read_contact") && can(user, "orders:read_payment")) return entries;
  return entries.map((e) => (e.raw && e.source !== "warehouse" ? { ...e, raw: null, detail: [e.detail, "Raw payload not shown to your role (it carries contact or payment details)."].filter(Boolean).join("\n") } : e));
}
