import type { DB } from "../../db/client.ts";
import { noteEmailRetry, pendingEmail, recordEmailOutcome } from "../../db/queries/notifications.ts";
import { DeliveryDeferred, type OutboxConsumer } from "../worker/outbox.ts";
import { escapeHtml } from "./messages.ts";
import { EMAIL_TOPIC } from "./notify.ts";
import { messageIdFor, PermanentDeliveryError, withoutAddresses, type Notifier } from "./notifier.ts";

type EmailMessage = { notificationId: number };

const EMAIL_CONSUMER = "email";

/**
 * Sends customer email after commit: each pending notification once, with a Message-ID derived from the
 * notification, then its outcome in a transaction of its own (never the network inside one). Accepted →
 * `sent` with sent_at; refused for good (5xx to the message) → `failed` with the server's words, and the
 * cursor moves on; anything else (refused connection, 4xx, timeout) throws, so the engine backs off and
 * retries, noted on the still-pending row. A notification no longer pending is skipped, so a redelivered
 * outbox row sends nothing twice; only a crash between the send and its record can repeat a send, and
 * the same Message-ID lets the receiving side recognise it.
 */
export function emailConsumer(db: DB, o: { notifier: Notifier; from: string; timeoutMs?: number }): OutboxConsumer {
  const timeoutMs = o.timeoutMs ?? 60_000;
  return {
    name: EMAIL_CONSUMER,
    accepts: (topic) => topic === EMAIL_TOPIC,
    timeoutMs,
    ...(o.notifier.probe ? { probe: () => o.notifier.probe!() } : {}),
    async deliver(rows, progress) {
      const started = Date.now();
      for (const [i, row] of rows.entries()) {
        // Stop well before the engine's timeout, which would leave a send running beside its retry.
        if (i > 0 && Date.now() - started > timeoutMs / 3) throw new DeliveryDeferred(`sent ${i} email(s) in this pass; the rest follow`);
        const n = pendingEmail(db, (row.payload as EmailMessage).notificationId);
        if (n) {
          try {
            await o.notifier.send({ to: n.to, subject: n.subject, text: n.text, html: n.html ?? `<pre>${escapeHtml(n.text)}</pre>`, messageId: messageIdFor(n, o.from) });
          } catch (error) {
            const reason = withoutAddresses(String((error as Error)?.message ?? error));
            if (!(error instanceof PermanentDeliveryError)) {
              noteEmailRetry(db, { id: n.id, error: reason });
              throw error;
            }
            recordEmailOutcome(db, { id: n.id, outcome: "failed", error: reason, at: Date.now() });
            progress.delivered(row.id);
            continue;
          }
          recordEmailOutcome(db, { id: n.id, outcome: "sent", error: null, at: Date.now() });
        }
        progress.delivered(row.id);
      }
    },
  };
}
