import nodemailer from "nodemailer";
import { PermanentDeliveryError, type Notifier } from "./notifier.ts";

/**
 * Defaults under the URL's own query options: bounds on one send, so a stalled server fails the attempt (and
 * it is retried) well within the outbox's timeout; one pooled connection kept open between messages (the
 * consumer sends one at a time), which saves the connect, greeting and login of every message.
 */
const DEFAULTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, pool: true, maxConnections: 1 };

type SmtpError = Error & { code?: string; responseCode?: number; command?: string };

/**
 * A refusal of this message for good: a 5xx to its recipient or its content, or an address the client
 * cannot even send to. A 5xx elsewhere (AUTH, MAIL FROM) is our configuration and affects every message,
 * so it is retried like a 4xx or a refused connection, and raises the delivery alert instead.
 */
function isPermanent(e: SmtpError): boolean {
  if (e.code === "EENVELOPE" && e.command === "API") return true;
  return (e.responseCode ?? 0) >= 500 && (e.command === "RCPT TO" || e.command === "DATA");
}

/**
 * The SMTP adapter of the Notifier port (nodemailer), for `SMTP_URL` (smtp://user:pass@host:587 with
 * STARTTLS when offered, smtps:// for TLS from the start; nodemailer's query options pass through) and
 * `MAIL_FROM`.
 */
export function smtpNotifier(o: { url: string; from: string }): Notifier & { close: () => void } {
  const url = new URL(o.url);
  for (const [key, value] of Object.entries(DEFAULTS)) if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(m) {
      try {
        await transport.sendMail({ from: o.from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId });
      } catch (error) {
        const e = error as SmtpError;
        if (isPermanent(e)) throw new PermanentDeliveryError(e.message);
        throw error;
      }
    },
    probe: () => transport.verify().then(
      () => true,
      () => false,
    ),
    close: () => transport.close(),
  };
}
