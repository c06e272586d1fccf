import type { Tx } from "../../db/client.ts";
import { storedEvent } from "../../db/queries/webhook-events.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import { applyAndRecord } from "./apply-stored.ts";
import { retryParkedFor } from "./parked.ts";

/** An admin re-runs a parked or rejected event's stored raw payload through the same apply path; audited. */
export function replayEvent(tx: Tx, r: { eventId: number; actor: Actor; at: number }) {
  const e = storedEvent(tx, r.eventId);
  if (!e) throw new DomainError("not_found", `Event ${r.eventId} does not exist.`);
  if (e.outcome !== "parked" && e.outcome !== "rejected") throw new DomainError("conflict", `Event ${r.eventId} is ${e.outcome ?? "not processed"}; only parked or rejected events are replayed.`);
  const outcome = applyAndRecord(tx, e, r.at);
  if (outcome.outcome === "applied" && outcome.orderId !== null) retryParkedFor(tx, outcome.orderId, r.at);
  const orderId = outcome.orderId ?? e.orderId;
  appendAudit(tx, {
    entityType: "webhook_event",
    entityId: e.id,
    orderId,
    actor: r.actor,
    action: "webhook_replayed",
    fromStatus: e.outcome,
    toStatus: outcome.outcome,
    reason: `${e.source} ${e.type} (${e.eventId}) replayed: ${outcome.error ?? outcome.reason ?? outcome.outcome}`,
    at: r.at,
  });
  return { eventId: e.id, outcome: outcome.outcome, message: outcome.error ?? outcome.reason ?? null };
}
