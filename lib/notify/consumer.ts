import type { DB } from "../../db/client.ts";
import { noteInviteEmailRetry, pendingInviteEmail, recordInviteEmailOutcome } from "../../db/queries/invites.ts";
import { noteEmailRetry, pendingEmail, recordEmailOutcome } from "../../db/queries/notifications.ts";
import { INVITE_TOPIC, inviteState, unsealInviteLink } from "../admin/invites.ts";
import { ROLE_LABELS } from "../auth/permissions.ts";
import { DeliveryDeferred, type OutboxConsumer, type OutboxRow } from "../worker/outbox.ts";
import { buildInviteMessage, escapeHtml } from "./messages.ts";
import { EMAIL_TOPIC } from "./notify.ts";
import { messageIdFor, PermanentDeliveryError, withoutAddresses, type Notifier } from "./notifier.ts";

type EmailMessage = { notificationId: number };
type InviteMessage = { inviteId: number };

const EMAIL_CONSUMER = "email";

/** What one email needs: the send, and where its outcome is written (a pending retry note, or sent/failed). */
type Email = { send: () => Promise<void>; retrying: (error: string) => void; outcome: (outcome: "sent" | "failed", error: string | null) => void };

/**
 * Sends email after commit, the one home for it: customer notifications (notification.email) and staff
 * invites (staff.invited). Each is sent once, with a Message-ID derived from what it is about, then its
 * outcome is recorded in a transaction of its own (never the network inside one). Accepted → `sent`;
 * refused for good (5xx to the message) → `failed` with the server's words, and the cursor moves on;
 * anything else (refused connection, 4xx, timeout) throws, so the engine backs off and retries, noted on
 * the still-pending row. Something no longer pending is skipped, so a redelivered outbox row sends nothing
 * twice; only a crash between the send and its record can repeat a send, and the same Message-ID lets the
 * receiving side recognise it.
 */
export function emailConsumer(db: DB, o: { notifier: Notifier; from: string; timeoutMs?: number }): OutboxConsumer {
  const timeoutMs = o.timeoutMs ?? 60_000;

  const notification = (row: OutboxRow): Email | null => {
    const n = pendingEmail(db, (row.payload as EmailMessage).notificationId);
    if (!n) return null;
    return {
      send: () => o.notifier.send({ to: n.to, subject: n.subject, text: n.text, html: n.html ?? `<pre>${escapeHtml(n.text)}</pre>`, messageId: messageIdFor(n, o.from) }),
      retrying: (error) => noteEmailRetry(db, { id: n.id, error }),
      outcome: (outcome, error) => recordEmailOutcome(db, { id: n.id, outcome, error, at: Date.now() }),
    };
  };

  /** A staff invite: only while it is open; its link is unsealed here and dropped with the outcome. */
  const invite = (row: OutboxRow): Email | null => {
    const i = pendingInviteEmail(db, (row.payload as InviteMessage).inviteId);
    if (!i) return null;
    const now = Date.now();
    if (inviteState(i, now) !== "open") {
      recordInviteEmailOutcome(db, { id: i.id, outcome: "skipped", error: null, at: now });
      return null;
    }
    const outcome: Email["outcome"] = (outcome, error) => recordInviteEmailOutcome(db, { id: i.id, outcome, error, at: Date.now() });
    const link = i.linkSealed === null ? null : unsealInviteLink(i.id, i.linkSealed);
    if (link === null) {
      outcome("failed", "The link could not be read back (was AUTH_SECRET changed?). Revoke this invite and invite again.");
      return null;
    }
    const m = buildInviteMessage({ name: i.name, roleLabel: ROLE_LABELS[i.role], invitedBy: i.createdBy, link, expiresAt: i.expiresAt });
    return {
      send: () => o.notifier.send({ to: i.email, ...m, messageId: messageIdFor(i, o.from, "invite") }),
      retrying: (error) => noteInviteEmailRetry(db, { id: i.id, error }),
      outcome,
    };
  };

  return {
    name: EMAIL_CONSUMER,
    accepts: (topic) => topic === EMAIL_TOPIC || topic === INVITE_TOPIC,
    timeoutMs,
    ...(o.notifier.probe ? { probe: () => o.notifier.probe!() } : {}),
    async deliver(rows, progress) {
      const started = Date.now();
      for (const [i, row] of rows.entries()) {
        // Stop well before the engine's timeout, which would leave a send running beside its retry.
        if (i > 0 && Date.now() - started > timeoutMs / 3) throw new DeliveryDeferred(`sent ${i} email(s) in this pass; the rest follow`);
        const email = row.topic === INVITE_TOPIC ? invite(row) : notification(row);
        if (email) {
          try {
            await email.send();
          } catch (error) {
            const reason = withoutAddresses(String((error as Error)?.message ?? error));
            if (!(error instanceof PermanentDeliveryError)) {
              email.retrying(reason);
              throw error;
            }
            email.outcome("failed", reason);
            progress.delivered(row.id);
            continue;
          }
          email.outcome("sent", null);
        }
        progress.delivered(row.id);
      }
    },
  };
}
