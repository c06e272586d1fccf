"use server";
import { z } from "zod";
import { action, refreshPage } from "../../../lib/actions.ts";
import { setDefaultLocation } from "../../../lib/shipments/default-location.ts";

/** The signed-in user's own queue location: saved on their user row, used when the queue opens with no filter. */
export const setDefaultLocationAction = action(
  { schema: z.object({ locationId: z.number().int().positive().nullable() }).strict(), permission: "routing:read" },
  (input, { actor, user, write }) => {
    const result = write((tx, at) => setDefaultLocation(tx, { userId: user.id, locationId: input.locationId, actor, at }));
    refreshPage("/shipments");
    return result;
  },
);
