"use server";
import { z } from "zod";
import { database } from "../../../db/index.ts";
import { action, refreshPage } from "../../../lib/actions.ts";
import { SNOOZE_HOURS, acknowledgeAlert, evaluateAndStoreAlerts } from "../../../lib/alerts/evaluate.ts";
import { acknowledgeAlerts, assignAlerts } from "../../../lib/alerts/assign.ts";
import { alertScopeOf } from "../../../lib/alerts/scope.ts";

const note = z.string().trim().min(3, "Say what you are doing about it (at least 3 characters).").max(1_000);
const alertIds = z.array(z.number().int().positive()).min(1, "Choose at least one alert.").max(500);

/** A manager acknowledges an alert with a note; it is theirs and quiet until the snooze ends. */
export const acknowledgeAlertAction = action(
  {
    schema: z.object({ alertId: z.number().int().positive(), note, snoozeHours: z.literal(SNOOZE_HOURS).default(4) }),
    permission: "alerts:acknowledge",
  },
  (input, { actor, write }) => {
    const result = write((tx, at) => acknowledgeAlert(tx, { ...input, actor, at }));
    refreshPage("/alerts");
    return result;
  },
);

/** Acknowledges several alerts (an order's row, or the rows chosen) with one note; all or none. */
export const acknowledgeAlertsAction = action(
  { schema: z.object({ alertIds, note, snoozeHours: z.literal(SNOOZE_HOURS).default(4) }).strict(), permission: "alerts:acknowledge" },
  (input, { actor, user, write }) => {
    const scope = alertScopeOf(user);
    const result = write((tx, at) => acknowledgeAlerts(tx, { ...input, scope, actor, at }));
    refreshPage("/alerts");
    return result;
  },
);

/** Gives alerts an owner (oneself or a colleague, or nobody) without acknowledging them; audited per alert. */
export const assignAlertsAction = action(
  {
    schema: z.object({ alertIds, ownerId: z.number().int().positive().nullable(), note: z.string().trim().max(1_000).optional() }).strict(),
    permission: "alerts:assign",
  },
  (input, { actor, user, write }) => {
    const scope = alertScopeOf(user);
    const result = write((tx, at) => assignAlerts(tx, { alertIds: input.alertIds, ownerId: input.ownerId, note: input.note || null, scope, actor, at }));
    refreshPage("/alerts");
    return result;
  },
);

/** Runs the rules now instead of waiting for the worker's next minute. */
export const evaluateAlertsNowAction = action({ schema: z.object({}).strict(), permission: "alerts:acknowledge" }, () => {
  const summary = evaluateAndStoreAlerts(database());
  refreshPage("/alerts");
  return summary;
});
