"use server";
import { z } from "zod";
import { action, refreshPage } from "../../../lib/actions.ts";
import { receiveStock } from "../../../lib/inventory/receive.ts";

const receiveInput = z.object({
  locationId: z.coerce.number().int().positive("Choose a location."),
  sku: z.string().trim().min(1, "Enter a SKU.").max(64),
  qty: z.coerce.number().int("Whole units only.").min(1, "Receive at least one unit.").max(100_000, "At most 100,000 units at once."),
  reference: z.string().trim().max(200).optional(),
  /** The lead saw that this reference was booked here already and books it again on purpose. */
  override: z.boolean().optional(),
});

/** A warehouse lead receives stock; backorders for the SKU are filled oldest first. A reference booked here before is refused unless overridden. */
export const receiveStockAction = action({ schema: receiveInput, permission: "inventory:receive" }, (input, { actor, write }) => {
  const result = write((tx, at) => receiveStock(tx, { ...input, actor, at }));
  refreshPage("/routing");
  return result;
});
