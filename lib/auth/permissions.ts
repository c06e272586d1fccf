import type { Role } from "../../db/schema/auth.ts";

export const PERMISSION_LIST = [
  "orders:read",
  "orders:read_contact",
  "orders:read_payment",
  "orders:cancel",
  "orders:note",
  // Placing orders and recording captured payments: no screen does either; API keys hold them through scopes (lib/api/scopes.ts).
  "orders:place",
  "payments:record",
  "backorders:record_choice",
  "refunds:request",
  "refunds:read",
  "refunds:approve",
  "refunds:export",
  "routing:read",
  "shipments:split",
  "shipments:backorder",
  "shipments:advance",
  "inventory:receive",
  "alerts:read",
  "alerts:acknowledge",
  "alerts:assign",
  "metrics:read",
  "admin:users",
  "admin:settings",
  "admin:api_keys",
] as const;
export type Permission = (typeof PERMISSION_LIST)[number];

/** Deny by default: a role may do exactly what is listed here (lib/DOMAIN.md, "Who may do what"). */
export const PERMISSIONS: Record<Role, readonly Permission[]> = {
  agent: [
    "orders:read",
    "orders:read_contact",
    "orders:read_payment",
    "orders:cancel",
    "orders:note",
    "backorders:record_choice",
    "refunds:request",
  ],
  // Sees ship-to addresses, never email, phone or payment details.
  // Notes too: a lead's note is free text about the parcel; the timeline never shows a lead money or contact details.
  warehouse_lead: [
    "orders:read",
    "orders:note",
    "routing:read",
    "shipments:split",
    "shipments:backorder",
    "shipments:advance",
    "inventory:receive",
    // Their own location's shipment alerts only (lib/alerts/scope.ts): see them, own them, hand them on.
    "alerts:read",
    "alerts:assign",
  ],
  finance: ["orders:read", "orders:read_contact", "orders:read_payment", "refunds:read", "refunds:approve", "refunds:export"],
  manager: [
    "orders:read",
    "orders:read_contact",
    "orders:read_payment",
    "routing:read",
    "refunds:read",
    "alerts:read",
    "alerts:acknowledge",
    "alerts:assign",
    "metrics:read",
  ],
  admin: PERMISSION_LIST,
};

export const ROLE_LABELS: Record<Role, string> = {
  agent: "Support agent",
  warehouse_lead: "Warehouse lead",
  finance: "Finance",
  manager: "Manager",
  admin: "Admin",
};

/** sessionVersion: the users.session_version the session was issued under (absent for runAs callers). */
export type SessionUser = { id: number; email: string; name: string; role: Role; sessionVersion?: number };

/** The only permission check. A missing session is never allowed anything. */
export function can(user: Pick<SessionUser, "role"> | null | undefined, permission: Permission): boolean {
  if (!user) return false;
  return PERMISSIONS[user.role]?.includes(permission) ?? false;
}

export type NavItem = { href: string; label: string; permission: Permission };

/** The navigation, in order; each entry shows only to roles that `can` open it. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/orders", label: "Orders", permission: "orders:read" },
  { href: "/shipments", label: "Shipments", permission: "routing:read" },
  { href: "/routing", label: "Routing", permission: "routing:read" },
  { href: "/refunds", label: "Refunds", permission: "refunds:read" },
  { href: "/alerts", label: "Alerts", permission: "alerts:read" },
  { href: "/admin", label: "Admin", permission: "admin:users" },
];

export function navigationFor(user: Pick<SessionUser, "role"> | null): NavItem[] {
  return NAV_ITEMS.filter((item) => can(user, item.permission));
}
