import type { Tx } from "../../db/client.ts";
import { savepoint } from "../../db/raw.ts";
import { recordOutcome, type EventOutcome, type StoredEvent } from "../../db/queries/webhook-events.ts";
import { DomainError } from "../errors.ts";
import type { Actor } from "../audit.ts";
import { applyDomainEvent } from "./apply/index.ts";
import { orderById } from "./apply/order-ref.ts";
import { SOURCES } from "./sources.ts";
import { IntakeRejection, type StepResult } from "./types.ts";
import type { Json } from "./normalise/read.ts";

/**
 * Normalises a stored raw event and applies it inside a savepoint of the caller's transaction: a refusal
 * rolls back every write it made (nothing half-applied) and becomes the stored outcome with its reason.
 * The same path serves a first delivery, a parked retry and an admin's replay.
 */
export function applyStoredEvent(tx: Tx, e: Pick<StoredEvent, "id" | "source" | "type" | "payload">, at: number, actor?: Actor): EventOutcome {
  let json: Json;
  try {
    const parsed: unknown = JSON.parse(e.payload);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return rejected("The body is JSON but not an object.", null);
    json = parsed as Json;
  } catch (error) {
    return rejected(`Malformed JSON: ${(error as Error).message}`, null);
  }
  const spec = SOURCES[e.source];
  let result: StepResult;
  try {
    result = savepoint(tx, "intake_apply", () => {
      const normalised = spec.normalise(e.type, json);
      if ("ignored" in normalised) return { outcome: "ignored", orderId: null, reason: normalised.ignored } satisfies StepResult;
      return applyDomainEvent(tx, normalised.event, actor ?? spec.actor, at);
    });
  } catch (error) {
    if (error instanceof IntakeRejection) return { ...rejected(error.message, error.orderId), ...(error.fields.length ? { fields: error.fields } : {}) };
    if (error instanceof DomainError) return rejected(error.message, null);
    // Still stored and answered: an unexpected failure is a rejection an admin can replay once fixed, never a lost event.
    return rejected(`Unexpected error while applying: ${(error as Error).message ?? String(error)}`, null);
  }
  if (result.outcome === "parked") {
    const version = result.orderId === null ? null : (orderById(tx, result.orderId)?.version ?? null);
    return { outcome: "parked", orderId: result.orderId, reason: result.reason, waitingFor: result.waitingFor, orderVersion: version };
  }
  if (result.outcome === "ignored") return { outcome: "ignored", orderId: result.orderId, reason: result.reason };
  return { outcome: "applied", orderId: result.orderId, reason: result.note ?? null };
}

const rejected = (message: string, orderId: number | null): EventOutcome => ({ outcome: "rejected", orderId, error: message });

/** Applies and records in one go; returns the outcome. */
export function applyAndRecord(tx: Tx, e: Pick<StoredEvent, "id" | "source" | "type" | "payload">, at: number): EventOutcome {
  const outcome = applyStoredEvent(tx, e, at);
  recordOutcome(tx, e.id, outcome, at);
  return outcome;
}
