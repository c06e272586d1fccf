"use server";
import { z } from "zod";
import { database } from "../../../db/index.ts";
import { action, refreshPage } from "../../../lib/actions.ts";
import { SNOOZE_HOURS, acknowledgeAlert, evaluateAndStoreAlerts } from "../../../lib/alerts/evaluate.ts";

/** A manager acknowledges an alert with a note; it is theirs and quiet until the snooze ends. */
export const acknowledgeAlertAction = action(
  {
    schema: z.object({
      alertId: z.number().int().positive(),
      note: z.string().trim().min(3, "Say what you are doing about it (at least 3 characters).").max(1_000),
      snoozeHours: z.literal(SNOOZE_HOURS).default(4),
    }),
    permission: "alerts:acknowledge",
  },
  (input, { actor, write }) => {
    const result = write((tx, at) => acknowledgeAlert(tx, { ...input, actor, at }));
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
