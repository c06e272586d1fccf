import type { DB } from "../../db/client.ts";
import { countDuplicate, insertReceivedEvent, recordOutcome, type EventOutcome } from "../../db/queries/webhook-events.ts";
import { applyStoredEvent } from "./apply-stored.ts";
import { retryParkedFor } from "./parked.ts";
import { readCapped } from "./body.ts";
import { countRefusal } from "./refusals.ts";
import { secretsFor } from "./secrets.ts";
import { SOURCES } from "./sources.ts";
import type { WebhookSource } from "./types.ts";
import type { Json } from "./normalise/read.ts";

export type IntakeAnswer = {
  status: number;
  body: { ok: boolean; outcome?: EventOutcome["outcome"] | "duplicate"; eventId?: string; reason?: string; message?: string };
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The one intake, whatever the transport: read the body with a cap, verify the signature over the exact
 * bytes (refusals only counted: nothing is written), then store, normalise and apply in one transaction.
 */
export async function receiveWebhook(db: DB, source: WebhookSource, req: Request, now = Date.now()): Promise<IntakeAnswer> {
  const body = await readCapped(req);
  if (body === null) {
    countRefusal(source, "body over 1 MB");
    return { status: 413, body: { ok: false, message: "The body is larger than 1 MB." } };
  }
  const secrets = secretsFor(db, source, now);
  if (secrets.length === 0) {
    countRefusal(source, "no signing secret configured");
    return { status: 401, body: { ok: false, message: `No signing secret is configured for ${source}; an admin creates one under /admin/webhooks.` } };
  }
  const verdict = SOURCES[source].verify(body, req.headers, secrets, now);
  if (!verdict.ok) {
    countRefusal(source, verdict.reason);
    return { status: 401, body: { ok: false, message: `Signature refused: ${verdict.reason}.` } };
  }
  return processVerified(db, source, body, req.headers, now);
}

/** Store → normalise → apply → record, and retry what was waiting for the order, in one immediate transaction. */
function processVerified(db: DB, source: WebhookSource, body: Uint8Array, headers: Headers, now: number): IntakeAnswer {
  let text: string;
  let json: Json | null = null;
  let malformed: string | null = null;
  try {
    text = utf8.decode(body);
  } catch {
    text = Buffer.from(body).toString("latin1");
    malformed = "The body is not UTF-8 text.";
  }
  if (!malformed) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) json = parsed as Json;
      else malformed = "The body is JSON but not an object.";
    } catch (error) {
      malformed = `Malformed JSON: ${(error as Error).message}`;
    }
  }
  const { eventId, type } = SOURCES[source].envelope(headers, json, body);
  return db.transaction(
    (tx): IntakeAnswer => {
      const id = insertReceivedEvent(tx, { source, eventId, type, payload: text, at: now });
      if (id === null) {
        const original = countDuplicate(tx, source, eventId);
        return { status: 200, body: { ok: true, outcome: "duplicate", eventId, reason: `Already received (${original.outcome ?? "received"}).` } };
      }
      if (malformed) {
        recordOutcome(tx, id, { outcome: "rejected", orderId: null, error: malformed }, now);
        return { status: 400, body: { ok: false, outcome: "rejected", eventId, message: malformed } };
      }
      const outcome = applyStoredEvent(tx, { id, source, type, payload: text }, now);
      recordOutcome(tx, id, outcome, now);
      if (outcome.outcome === "applied" && outcome.orderId !== null) retryParkedFor(tx, outcome.orderId, now);
      if (outcome.outcome === "rejected") return { status: 422, body: { ok: false, outcome: "rejected", eventId, message: outcome.error ?? "Rejected." } };
      return { status: 200, body: { ok: true, outcome: outcome.outcome, eventId, ...(outcome.reason ? { reason: outcome.reason } : {}) } };
    },
    { behavior: "immediate" },
  );
}
