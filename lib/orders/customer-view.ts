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
