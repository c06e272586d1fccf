import { database } from "../../db/index.ts";
import { readOrderVersion } from "../../db/queries/order-version.ts";

/** The order's version now, as a freshly opened screen would carry it. */
export function versionOf(orderId: number): number {
  // An unknown order has no version; 0 lets the action say "not found" rather than fail on the version.
  return readOrderVersion(database(), orderId)?.version ?? 0;
}

/**
 * An order action called as from a screen opened just now: the order's current version is added to the
 * input. Tests of stale screens pass `expectedVersion` themselves and call the action directly.
 */
export function current<I extends { orderId: number; expectedVersion: number }, R>(act: (input: I) => R): (input: Omit<I, "expectedVersion"> & { expectedVersion?: number }) => R {
  return (input) => act({ ...input, expectedVersion: input.expectedVersion ?? versionOf(input.orderId) } as I);
}
