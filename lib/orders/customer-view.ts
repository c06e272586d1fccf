import { can, type SessionUser } from "../auth/permissions.ts";

export type CustomerView = {
  name: string;
  email: string | null;
  phone: string | null;
  /** True when the viewer's role may not receive contact details; they are not sent at all. */
  contactHidden: boolean;
};

/** What of a customer a role may receive. Masking happens on the server, before rendering. */
export function customerView(
  customer: { name: string; email: string; phone: string | null },
  user: Pick<SessionUser, "role">,
): CustomerView {
  if (!can(user, "orders:read_contact")) return { name: customer.name, email: null, phone: null, contactHidden: true };
  return { name: customer.name, email: customer.email, phone: customer.phone, contactHidden: false };
}

/** A formatted amount (€1,234.50, £5.00, US$3.00, SEK 100.00) or a payment provider's reference. */
const PAYMENT_TEXT = /(?:[€£$¥₹]|US\$|\b[A-Z]{3}[\u00a0 ])-?\d[\d,]*(?:\.\d+)?|\bsim_re_\w+/g;

/**
 * The timeline for a role without orders:read_payment: amounts and provider references in titles and
 * details are replaced on the server, so they never reach the HTML.
 */
export function withoutPayment<T extends { title: string; detail: string | null }>(entries: T[]): T[] {
  const hide = (s: string) => s.replace(PAYMENT_TEXT, "[amount hidden]");
  return entries.map((e) => ({ ...e, title: hide(e.title), detail: e.detail === null ? null : hide(e.detail) }));
}
