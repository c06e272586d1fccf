/** One email to one customer. `messageId` is stable per notification, so a redelivery is recognisable. */
type OutgoingEmail = { to: string; subject: string; text: string; html: string; messageId: string };

/** The port customer email leaves through (lib/notify/smtp.ts is the adapter). */
export interface Notifier {
  /**
   * Resolves once the server accepted the message. Throws PermanentDeliveryError when it refused this
   * message for good (a 5xx to the recipient or the content); any other error is transient and retried.
   */
  send(email: OutgoingEmail): Promise<void>;
  /** Whether the server answers at all (and takes our login): a server that is down is waited out, not blamed on a message. */
  probe?(): Promise<boolean>;
}

/** The server will never take this message (unknown mailbox, rejected content): retrying cannot help. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}

/** The Message-ID of a notification's email: from its id and creation time (ids restart with a new database), at the sender's domain. */
export function messageIdFor(n: { id: number; createdAt: number }, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "switchyard.local";
  return `<notification-${n.id}.${n.createdAt.toString(36)}@${domain}>`;
}

/** Delivery errors are shown on the timeline, including to roles that may not see the customer's address: any address in them is removed. */
export function withoutAddresses(text: string): string {
  return text.replace(/<?[^\s<>@"']+@[^\s<>@"']+>?/g, "[address]").slice(0, 500);
}
