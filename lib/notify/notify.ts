import type { Tx } from "../../db/client.ts";
import { insertNotification, recipientOfOrder } from "../../db/queries/notifications.ts";
import { enqueueOutbox } from "../audit.ts";
import { env } from "../env.ts";
import { buildMessage, type CustomerNotice } from "./messages.ts";

/** The outbox topic the email consumer sends. */
export const EMAIL_TOPIC = "notification.email";

/** Email goes out only when an SMTP server is configured; otherwise notifications are recorded on the timeline. */
function emailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

/**
 * The one writer of customer notifications, inside the change's transaction: the message (text and HTML)
 * is stored on the order's timeline and, when email is configured, queued for the email consumer with an
 * outbox row of the same transaction (delivery `pending`); otherwise it stays `recorded`.
 */
export function notifyCustomer(tx: Tx, n: { orderId: number; notice: CustomerNotice; at: number }): number {
  const to = recipientOfOrder(tx, n.orderId);
  const message = buildMessage({ orderNumber: to.number, customerName: to.customerName }, n.notice);
  const email = emailConfigured();
  const id = insertNotification(tx, {
    orderId: to.orderId,
    customerId: to.customerId,
    kind: n.notice.kind,
    subject: message.subject,
    body: message.text,
    html: message.html,
    delivery: email ? "pending" : "recorded",
    at: n.at,
  });
  if (email) enqueueOutbox(tx, { topic: EMAIL_TOPIC, aggregateType: "order", aggregateId: to.orderId, payload: { notificationId: id, orderId: to.orderId, kind: n.notice.kind }, at: n.at });
  return id;
}
