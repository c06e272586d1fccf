import { formatMoney } from "../format.ts";

/** Units of one product, as the customer knows it (its name on the order line). */
type Item = { qty: number; name: string };
type Money = { amount: number; currency: string };

/** What a customer is told, per kind: the facts only; wording and layout are the builders'. */
export type CustomerNotice =
  | { kind: "shipped"; items: Item[]; carrier: string; trackingNumber: string; stillToCome: Item[]; backordered: Item[] }
  | { kind: "backordered"; items: Item[]; shipComplete: boolean }
  | { kind: "backorder_allocated"; items: Item[]; from: string; stillBackordered: number }
  | { kind: "cancelled"; items: Item[]; refunded: Money | null; refundFollows: boolean }
  | { kind: "lines_cancelled"; items: Item[]; refunded: Money | null; refundFollows: boolean }
  | { kind: "refunded"; refund: Money; customerMessage: string | null };

/** One email: the subject, a plain-text part and an HTML part saying the same. */
export type Message = { subject: string; text: string; html: string };

/** A piece of a message, rendered once as text and once as (escaped) HTML. */
type Block = { p: string } | { list: string[] };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const unit = (i: Item) => `${i.qty} × ${i.name}`;
const units = (items: Item[]) => items.map(unit).join(", ");

function content(order: string, n: CustomerNotice): { subject: string; blocks: Block[] } {
  switch (n.kind) {
    case "shipped": {
      const follows: Block[] =
        n.stillToCome.length || n.backordered.length
          ? [{ p: "Still to come:" }, { list: [...n.stillToCome.map(unit), ...n.backordered.map((i) => `${unit(i)} (backordered)`)] }]
          : [{ p: "That completes your order." }];
      return {
        subject: `Your order ${order} is on its way`,
        blocks: [{ p: `Your order ${order} is on its way with ${n.carrier}, tracking number ${n.trackingNumber}. In this parcel:` }, { list: n.items.map(unit) }, ...follows],
      };
    }
    case "backordered":
      return {
        subject: `Part of order ${order} is backordered`,
        blocks: [
          {
            p: n.shipComplete
              ? `${units(n.items)} is not available right now, and your order ships complete, so all of it waits until it can go together.`
              : `${units(n.items)} is not available right now. It will ship as soon as it is back in stock.`,
          },
          { p: "Reply to this email to tell us whether to wait for it or cancel it." },
        ],
      };
    case "backorder_allocated":
      return {
        subject: `Good news: ${units(n.items)} for order ${order} is back in stock`,
        blocks: [{ p: `${units(n.items)} will ship from ${n.from}.${n.stillBackordered ? ` ${n.stillBackordered} more remain on backorder.` : ""}` }],
      };
    case "cancelled":
      return {
        subject: `Order ${order} is cancelled`,
        blocks: [
          { p: `Your order ${order} was cancelled${n.refunded ? ` and ${formatMoney(n.refunded.amount, n.refunded.currency)} refunded to your original payment method` : ""}.` },
          ...(n.items.length ? [{ p: "Cancelled:" }, { list: n.items.map(unit) }] : []),
          ...(!n.refunded && n.refundFollows ? [{ p: "Your refund follows shortly." }] : []),
        ],
      };
    case "lines_cancelled":
      return {
        subject: `Part of order ${order} is cancelled`,
        blocks: [
          { p: "These items of your order were cancelled:" },
          { list: n.items.map(unit) },
          ...(n.refunded ? [{ p: `${formatMoney(n.refunded.amount, n.refunded.currency)} refunded to your original payment method.` }] : n.refundFollows ? [{ p: "Your refund follows shortly." }] : []),
          { p: "Everything else on the order is unchanged." },
        ],
      };
    case "refunded": {
      const money = formatMoney(n.refund.amount, n.refund.currency);
      // Only the words the agent wrote for the customer: the refund's internal reason never reaches here.
      const message = n.customerMessage?.trim();
      return { subject: `Refund of ${money} for order ${order}`, blocks: [{ p: `We refunded ${money} to your original payment method.` }, ...(message ? [{ p: message }] : [])] };
    }
  }
}

function asText(b: Block): string {
  return "p" in b ? b.p : b.list.map((l) => `- ${l}`).join("\n");
}

function asHtml(b: Block): string {
  const para = (s: string) => escapeHtml(s).replace(/\r?\n/g, "<br>");
  return "p" in b ? `<p>${para(b.p)}</p>` : `<ul>${b.list.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`;
}

const SIGN_OFF = "Switchyard customer service";

/** The message a customer receives for a notice, in plain text and HTML (every dynamic text escaped). */
export function buildMessage(to: { orderNumber: string; customerName: string }, notice: CustomerNotice): Message {
  const { subject, blocks } = content(to.orderNumber, notice);
  const greeting = `Hello ${to.customerName.trim() || "there"},`;
  // A list follows the sentence that introduces it directly; paragraphs are a blank line apart.
  const body = blocks.map((b, i) => (i > 0 && "list" in b ? "\n" : "\n\n") + asText(b)).join("");
  const text = `${greeting}${body}\n\n${SIGN_OFF}`;
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.4">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...blocks.map(asHtml),
    `<p>${escapeHtml(SIGN_OFF)}</p>`,
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}
