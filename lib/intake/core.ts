import type { DB, Tx } from "../../db/client.ts";
import { countDuplicate, insertReceivedEvent, recordOutcome, type EventOutcome } from "../../db/queries/webhook-events.ts";
import type { Actor } from "../audit.ts";
import { applyStoredEvent } from "./apply-stored.ts";
import { retryParkedFor } from "./parked.ts";
import { readCapped } from "./body.ts";
import { countRefusal } from "./refusals.ts";
import { secretsFor } from "./secrets.ts";
import { SENDERS } from "./sources.ts";
import type { IntakeSource, RejectedField, WebhookSource } from "./types.ts";
import type { Json } from "./normalise/read.ts";

export type IntakeAnswer = {
  status: number;
  body: { ok: boolean; outcome?: EventOutcome["outcome"] | "duplicate"; eventId?: string; reason?: string; message?: string };
  /** For transports that answer with the order (the orders API); not sent to webhook senders. */
  orderId?: number | null;
  fields?: RejectedField[];
};

/** A received body, decoded and parsed once, with the sender's event id and type. */
export type ReceivedEvent = { source: IntakeSource; eventId: string; type: string; text: string; json: Json | null; malformed: string | null };

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
  const verdict = SENDERS[source].verify(body, req.headers, secrets, now);
  if (!verdict.ok) {
    countRefusal(source, verdict.reason);
    return { status: 401, body: { ok: false, message: `Signature refused: ${verdict.reason}.` } };
  }
  return processVerified(db, source, body, req.headers, now);
}

/** Decodes and parses a body outside any transaction; a body that is not a UTF-8 JSON object is still stored, as rejected. */
function decodeEvent(body: Uint8Array): Pick<ReceivedEvent, "text" | "json" | "malformed"> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { text: Buffer.from(body).toString("latin1"), json: null, malformed: "The body is not UTF-8 text." };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return { text, json: parsed as Json, malformed: null };
    return { text, json: null, malformed: "The body is JSON but not an object." };
  } catch (error) {
    return { text, json: null, malformed: `Malformed JSON: ${(error as Error).message}` };
  }
}

/** Store → normalise → apply → record, and retry what was waiting for the order, in one immediate transaction. */
function processVerified(db: DB, source: WebhookSource, body: Uint8Array, headers: Headers, now: number): IntakeAnswer {
  const decoded = decodeEvent(body);
  const { eventId, type } = SENDERS[source].envelope(headers, decoded.json, body);
  return db.transaction((tx) => ingest(tx, { source, eventId, type, ...decoded }, now), { behavior: "immediate" });
}

/**
 * The intake's one write path, inside the caller's transaction: store the raw event once per (source, id),
 * apply it, record the outcome, retry what waited for its order. `actor` names who sent it when the source's
 * own label is not enough (an API key).
 */
export function ingest(tx: Tx, e: ReceivedEvent, now: number, actor?: Actor): IntakeAnswer {
  const { source, eventId, type } = e;
  const id = insertReceivedEvent(tx, { source, eventId, type, payload: e.text, at: now });
  if (id === null) {
    const original = countDuplicate(tx, source, eventId);
    return { status: 200, body: { ok: true, outcome: "duplicate", eventId, reason: `Already received (${original.outcome ?? "received"}).` }, orderId: original.orderId };
  }
  if (e.malformed) {
    recordOutcome(tx, id, { outcome: "rejected", orderId: null, error: e.malformed }, now);
    return { status: 400, body: { ok: false, outcome: "rejected", eventId, message: e.malformed } };
  }
  const outcome = applyStoredEvent(tx, { id, source, type, payload: e.text }, now, actor);
  recordOutcome(tx, id, outcome, now);
  if (outcome.outcome === "applied" && outcome.orderId !== null) retryParkedFor(tx, outcome.orderId, now);
  if (outcome.outcome === "rejected") return { status: 422, body: { ok: false, outcome: "rejected", eventId, message: outcome.error ?? "Rejected." }, orderId: outcome.orderId, fields: outcome.fields };
  return { status: 200, body: { ok: true, outcome: outcome.outcome, eventId, ...(outcome.reason ? { reason: outcome.reason } : {}) }, orderId: outcome.orderId };
}
