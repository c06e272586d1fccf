import { ingest, type IntakeAnswer } from "../intake/core.ts";
import type { RejectedField } from "../intake/types.ts";
import type { WriteContext } from "./operation.ts";

/**
 * The orders API as a transport into the intake: the request body, as sent, becomes a stored event of
 * source `api`, its id from the API key and the Idempotency-Key, its type the request line, and is applied
 * by the same adapters as a webhook's, in the request's transaction (lib/intake/normalise/api.ts reads it).
 */
export function applyThroughIntake(w: WriteContext, requestLine: string): IntakeAnswer {
  const event = { source: "api" as const, eventId: `key-${w.apiKeyId}:${w.idempotencyKey}`, type: requestLine, text: w.body.text, json: w.body.json as never, malformed: null };
  return ingest(w.tx, event, w.at, w.actor);
}

/** The intake names fields of its domain event; the API's body calls the address ship_to. */
export function bodyErrors(fields: RejectedField[] | undefined): { pointer: string; detail: string }[] {
  return (fields ?? []).map((f) => ({ pointer: f.pointer.replace(/^\/address(?=\/|$)/, "/ship_to"), detail: f.message }));
}
