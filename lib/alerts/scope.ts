import { ROLES, type Role } from "../../db/schema/auth.ts";
import { can, type SessionUser } from "../auth/permissions.ts";
import { defaultLocationOf } from "../../db/queries/shipments.ts";

/**
 * Which live alerts a user works on. Managers (who may acknowledge) see every alert; a warehouse lead
 * sees the shipment alerts of their own location (all locations while they have saved none).
 */
export type AlertScope = { shipmentsOnly: boolean; locationId: number | null };

export function alertScopeFor(user: Pick<SessionUser, "role">, defaultLocationId: number | null): AlertScope {
  if (can(user, "alerts:acknowledge")) return { shipmentsOnly: false, locationId: null };
  return { shipmentsOnly: true, locationId: defaultLocationId };
}

/** The rule a lead's scope holds: shipments past their ship-by. */
export const SHIPMENT_ALERT_RULE = "shipment_past_sla";

/** The scope as the alert queries take it. */
export function scopeFilter(scope: AlertScope): { rules: readonly string[] | null; locationId: number | null } {
  return scope.shipmentsOnly ? { rules: [SHIPMENT_ALERT_RULE], locationId: scope.locationId } : { rules: null, locationId: null };
}

/** Roles whose people may own an alert (they can see alerts). */
export function alertOwnerRoles(): Role[] {
  return ROLES.filter((role) => can({ role }, "alerts:read"));
}

/** The signed-in user's scope, their saved location read from their user row. */
export function alertScopeOf(user: Pick<SessionUser, "id" | "role">): AlertScope {
  return alertScopeFor(user, can(user, "alerts:acknowledge") ? null : defaultLocationOf({ userId: user.id }));
}
