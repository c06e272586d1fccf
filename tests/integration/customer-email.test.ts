import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { runAs } from "../../lib/auth/session.ts";
import { cancelOrderAction, requestRefundAction } from "../../app/(ops)/orders/[id]/actions.ts";
import { emailConsumer } from "../../lib/notify/consumer.ts";
import { EMAIL_TOPIC } from "../../lib/notify/notify.ts";
import { messageIdFor } from "../../lib/notify/notifier.ts";
import { smtpNotifier } from "../../lib/notify/smtp.ts";
import { readCursor, retryNow } from "../../lib/worker/cursors.ts";
import { deliverNext, type OutboxConsumer } from "../../lib/worker/outbox.ts";
import { getOrderTimeline } from "../../db/queries/orders.ts";
import { current } from "../support/current.ts";
import { settlePayouts } from "../support/payouts.ts";
import { closedPort } from "../support/ports.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.ts";
import { PLACES, insertCustomer, notificationsOf, outboxOf, shipmentsOf } from "../support/routing-world.ts";
import { advanceTo, createOrdersWorld, expectOk, placeRoutedOrder, setAgentRefundLimit, stock, type OrdersWorld } from "../support/orders-world.ts";

const cancelOrder = current(cancelOrderAction);
const requestRefund = current(requestRefundAction);
const FROM = "Switchyard Orders <orders@shop.example>";

let w: OrdersWorld;
let sink: SmtpSink;
const sinks: SmtpSink[] = [];
const notifiers: { close: () => void }[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  sinks.push(sink);
  // Email is configured before anything reads the environment: every notification is queued for the email consumer.
  process.env.SMTP_URL = sink.url;
  process.env.MAIL_FROM = FROM;
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env()).toMatchObject({ DATABASE_PATH: w.file, SMTP_URL: sink.url, MAIL_FROM: FROM });
  stock(w, w.loc.RTM, w.product.MUG, 100);
  stock(w, w.loc.LEJ, w.product.TOASTER, 100);
  setAgentRefundLimit(w.db, 50_000);
});
afterAll(async () => {
  for (const n of notifiers) n.close();
  await Promise.all(sinks.map((s) => s.close()));
  w.cleanup();
});

/** The worker's email consumer, sending through the SMTP adapter to `url` (the configured sink unless told). */
function consumerFor(url = env().SMTP_URL!): OutboxConsumer {
  const notifier = smtpNotifier({ url, from: env().MAIL_FROM });
  notifiers.push(notifier);
  return emailConsumer(w.db, { notifier, from: env().MAIL_FROM });
}

/** Runs the consumer until its backlog is empty, as the worker does after commit. */
async function sendAll(consumer = consumerFor()) {
  for (let i = 0; i < 100; i++) {
    const pass = await deliverNext(w.db, consumer);
    if (pass.outcome === "idle") return;
    if (pass.outcome !== "delivered") throw new Error(`email consumer: ${pass.outcome} ${pass.error ?? ""}`);
  }
  throw new Error("email backlog did not drain");
}

const addressOf = (customerId: number) => (w.db.$client.prepare("SELECT email FROM customers WHERE id = ?").get(customerId) as { email: string }).email;
const mailTo = (s: SmtpSink, address: string) => s.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);
const notificationEntries = (orderId: number) => getOrderTimeline({ orderId }).filter((e) => e.kind === "notification");

describe("customer email through a real SMTP server", () => {
  test("a shipment leaving is emailed with its items and what still follows, in text and HTML, from MAIL_FROM, with the notification's Message-ID", async () => {
    const customer = insertCustomer(w.db, PLACES.amsterdam, "Ada Lovelace");
    const address = addressOf(customer.customerId);
    // Mugs only in Rotterdam, toasters only in Leipzig, no blender anywhere: two shipments and a backorder.
    const o = placeRoutedOrder(w, { customer, lines: [{ product: w.product.MUG, qty: 2 }, { product: w.product.TOASTER, qty: 1 }, { product: w.product.BLENDER, qty: 1 }] });
    const rtm = shipmentsOf(w.db, o.orderId).find((s) => s.locationId === w.loc.RTM)!;
    await advanceTo(w.users.lead, o.orderId, rtm.id, "shipped");
    expect(notificationsOf(w.db, o.orderId).map((n) => [n.kind, n.delivery])).toEqual([
      ["backordered", "pending"],
      ["shipped", "pending"],
    ]);
    expect(outboxOf(w.db, o.orderId).filter((m) => m.topic === EMAIL_TOPIC)).toHaveLength(2);
    expect(mailTo(sink, address)).toEqual([]); // nothing leaves inside the actions' transactions

    await sendAll();
    const [backordered, shipped] = mailTo(sink, address);
    expect(mailTo(sink, address)).toHaveLength(2);
    expect(backordered!.subject).toBe(`Part of order ${o.number} is backordered`);
    expect(backordered!.text).toContain("1 × Countertop blender is not available right now.");

    expect(shipped!.from?.value[0]).toEqual({ address: "orders@shop.example", name: "Switchyard Orders" });
    expect(shipped!.subject).toBe(`Your order ${o.number} is on its way`);
    expect(shipped!.text).toContain("Hello Ada Lovelace,");
    expect(shipped!.text).toContain(`with DHL, tracking number JD-${rtm.id}-${o.orderId}. In this parcel:\n- 2 × Stoneware mug`);
    expect(shipped!.text).toContain("Still to come:\n- 1 × Two-slot toaster\n- 1 × Countertop blender (backordered)");
    expect(shipped!.html).toContain("<li>2 × Stoneware mug</li>");
    expect(shipped!.html).toContain("<li>1 × Two-slot toaster</li><li>1 × Countertop blender (backordered)</li>");

    const notes = notificationsOf(w.db, o.orderId);
    expect(notes.map((n) => n.delivery)).toEqual(["sent", "sent"]);
    expect(notes.every((n) => typeof n.sentAt === "number" && n.deliveryError === null)).toBe(true);
    expect(shipped!.messageId).toBe(messageIdFor(notes[1]!, FROM));
    expect(backordered!.messageId).toBe(messageIdFor(notes[0]!, FROM));
    expect(notificationEntries(o.orderId).map((e) => e.delivery?.state)).toEqual(["sent", "sent"]);

    await sendAll(); // a pass with nothing new sends nothing again
    expect(mailTo(sink, address)).toHaveLength(2);
  });

  test("a cancellation says what was cancelled and the refund; the refund email carries the agent's words (escaped in HTML) and never the internal reason", async () => {
    const customer = insertCustomer(w.db, PLACES.amsterdam, "Grace <b>Amazing</b> & Co");
    const address = addressOf(customer.customerId);
    const o = placeRoutedOrder(w, { customer, lines: [{ product: w.product.MUG, qty: 3 }] });
    expectOk(await runAs(w.users.agent, () => requestRefund({ orderId: o.orderId, amount: 500, reason: "Customer is rude, shut them up", customerMessage: 'Sorry! <img src=x onerror="alert(1)"> Here is 5 € back & more.' })));
    await settlePayouts(w.db);
    expectOk(await runAs(w.users.agent, () => cancelOrder({ orderId: o.orderId, reason: "Customer changed their mind" })));
    await settlePayouts(w.db);
    await sendAll();

    const mails = mailTo(sink, address);
    expect(mails.map((m) => m.subject)).toEqual([`Refund of €5.00 for order ${o.number}`, `Order ${o.number} is cancelled`, `Refund of €44.20 for order ${o.number}`]);
    const [goodwill, cancelled] = mails;
    expect(goodwill!.text).toContain("Hello Grace <b>Amazing</b> & Co,");
    expect(goodwill!.text).toContain('We refunded €5.00 to your original payment method.\n\nSorry! <img src=x onerror="alert(1)"> Here is 5 € back & more.');
    expect(goodwill!.html).toContain("<p>Hello Grace &lt;b&gt;Amazing&lt;/b&gt; &amp; Co,</p>");
    expect(goodwill!.html).toContain("Sorry! &lt;img src=x onerror=&quot;alert(1)&quot;&gt; Here is 5 € back &amp; more.");
    expect(goodwill!.html).not.toMatch(/<img|<b>/);
    for (const m of mails) {
      expect(`${m.text}\n${m.html}`).not.toContain("rude");
      expect(`${m.text}\n${m.html}`).not.toContain("changed their mind");
    }
    expect(cancelled!.text).toContain(`Your order ${o.number} was cancelled and €44.20 refunded to your original payment method.\n\nCancelled:\n- 3 × Stoneware mug`);
    expect(cancelled!.html).toContain("<li>3 × Stoneware mug</li>");
    expect(notificationsOf(w.db, o.orderId).map((n) => [n.kind, n.delivery])).toEqual([
      ["refunded", "sent"],
      ["cancelled", "sent"],
      ["refunded", "sent"],
    ]);
  });

  test("a redelivered notification (the worker died between the send and its record) arrives with the same Message-ID", async () => {
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const address = addressOf(customer.customerId);
    const o = placeRoutedOrder(w, { customer, lines: [{ product: w.product.BLENDER, qty: 1 }] });
    await sendAll();
    const [note] = notificationsOf(w.db, o.orderId);
    // The send happened but its outcome was never recorded: the row is still pending when its message comes round again.
    w.db.$client.prepare("UPDATE notifications SET delivery = 'pending', sent_at = NULL WHERE id = ?").run(note!.id);
    const row = outboxOf(w.db, o.orderId).find((m) => m.topic === EMAIL_TOPIC)!;
    await consumerFor().deliver([{ id: row.id, topic: row.topic, aggregateType: row.aggregateType, aggregateId: row.aggregateId, payload: row.payload, createdAt: row.createdAt }], { delivered: () => {} });
    const copies = mailTo(sink, address);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.messageId).toBe(copies[0]!.messageId);
    expect(copies[0]!.messageId).toBe(messageIdFor(note!, FROM));
    expect(copies[1]!.text).toBe(copies[0]!.text);
    expect(notificationsOf(w.db, o.orderId)[0]).toMatchObject({ delivery: "sent", deliveryError: null });
  });

  test("a server answering 451 is retried by the engine, and the customer gets the email exactly once", async () => {
    const greylisting = await startSmtpSink({ answer: (_rcpt, attempt) => (attempt === 1 ? { code: 451, message: "4.7.1 Greylisted, try again later" } : null) });
    sinks.push(greylisting);
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const address = addressOf(customer.customerId);
    const o = placeRoutedOrder(w, { customer, lines: [{ product: w.product.BLENDER, qty: 1 }] });
    const consumer = consumerFor(greylisting.url);

    const first = await deliverNext(w.db, consumer);
    expect(first.outcome).toBe("failed");
    expect(first.error).toContain("451");
    expect(mailTo(greylisting, address)).toEqual([]);
    const [waiting] = notificationsOf(w.db, o.orderId);
    expect(waiting).toMatchObject({ delivery: "pending", sentAt: null });
    expect(waiting!.deliveryError).toContain("451 4.7.1 Greylisted");
    expect(notificationEntries(o.orderId)[0]!.delivery).toMatchObject({ state: "sending", error: expect.stringContaining("451") });
    expect(readCursor(w.db, consumer.name)).toMatchObject({ attempts: 1 });

    expect((await deliverNext(w.db, consumer)).outcome).toBe("waiting"); // backing off
    retryNow(w.db, consumer.name);
    expect((await deliverNext(w.db, consumer)).outcome).toBe("delivered");
    await sendAll(consumer);
    expect(mailTo(greylisting, address)).toHaveLength(1);
    expect(greylisting.attempts.get(address)).toBe(2);
    expect(notificationsOf(w.db, o.orderId)[0]).toMatchObject({ delivery: "sent", deliveryError: null });
    expect(readCursor(w.db, consumer.name)).toMatchObject({ attempts: 0 });
  });

  test("a 550 marks the notification failed without retrying, shows on the timeline without the address, and the next customer's email still goes", async () => {
    const rejecting = await startSmtpSink({ answer: (rcpt) => (rcpt.startsWith("customer") && rejected.has(rcpt) ? { code: 550, message: `5.1.1 <${rcpt}>: Recipient address rejected` } : null) });
    sinks.push(rejecting);
    const rejected = new Set<string>();
    const gone = insertCustomer(w.db, PLACES.amsterdam);
    rejected.add(addressOf(gone.customerId));
    const fine = insertCustomer(w.db, PLACES.amsterdam);
    const a = placeRoutedOrder(w, { customer: gone, lines: [{ product: w.product.BLENDER, qty: 1 }] });
    const b = placeRoutedOrder(w, { customer: fine, lines: [{ product: w.product.BLENDER, qty: 1 }] });
    const consumer = consumerFor(rejecting.url);

    expect((await deliverNext(w.db, consumer)).outcome).toBe("delivered"); // the refusal is an outcome, not a failure to retry
    const [failed] = notificationsOf(w.db, a.orderId);
    expect(failed).toMatchObject({ delivery: "failed", sentAt: null });
    expect(failed!.deliveryError).toContain("550 5.1.1 [address]: Recipient address rejected");
    expect(failed!.deliveryError).not.toContain("@");
    expect(notificationsOf(w.db, b.orderId)[0]).toMatchObject({ delivery: "sent" });
    expect(mailTo(rejecting, addressOf(fine.customerId))).toHaveLength(1);
    expect(rejecting.attempts.get(addressOf(gone.customerId))).toBe(1);

    await sendAll(consumer);
    expect(rejecting.attempts.get(addressOf(gone.customerId))).toBe(1); // never asked again
    const entry = notificationEntries(a.orderId)[0]!;
    expect(entry.delivery).toEqual({ state: "failed", error: failed!.deliveryError, sentAt: null });
    expect(JSON.stringify(getOrderTimeline({ orderId: a.orderId }))).not.toContain(addressOf(gone.customerId));
  });

  test("while the mail server is down nothing is lost: the email waits, pending, and goes once the server answers", async () => {
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const address = addressOf(customer.customerId);
    const o = placeRoutedOrder(w, { customer, lines: [{ product: w.product.BLENDER, qty: 1 }] });
    const down = consumerFor(`smtp://mailer:x@127.0.0.1:${await closedPort()}`);
    const pass = await deliverNext(w.db, down);
    expect(pass.outcome).toBe("failed");
    expect(await down.probe!()).toBe(false); // the engine waits out a server that is down rather than dead-lettering the message
    expect(notificationsOf(w.db, o.orderId)[0]).toMatchObject({ delivery: "pending", deliveryError: expect.stringContaining("ECONNREFUSED") });

    const up = consumerFor();
    expect(await up.probe!()).toBe(true);
    retryNow(w.db, up.name);
    await sendAll(up);
    expect(mailTo(sink, address)).toHaveLength(1);
    expect(notificationsOf(w.db, o.orderId)[0]).toMatchObject({ delivery: "sent", deliveryError: null });
  });

  test("the worker, started with SMTP_URL, runs the email consumer, sends what is pending and stops cleanly on SIGTERM", async () => {
    const customer = insertCustomer(w.db, PLACES.amsterdam);
    const address = addressOf(customer.customerId);
    const o = placeRoutedOrder(w, { customer, lines: [{ product: w.product.BLENDER, qty: 1 }] });
    const worker = spawn(process.execPath, ["scripts/worker.ts", "--outbox-only"], {
      env: { ...process.env, DATABASE_PATH: w.file, SMTP_URL: sink.url, MAIL_FROM: FROM, WORKER_POLL_MS: "50" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout.on("data", (b: Buffer) => (output += b.toString()));
    worker.stderr.on("data", (b: Buffer) => (output += b.toString()));
    const exited = new Promise<number | null>((resolve) => worker.on("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => mailTo(sink, address).length, { timeout: 20_000, interval: 100 }).toBe(1);
      await expect.poll(() => notificationsOf(w.db, o.orderId)[0]!.delivery, { timeout: 5_000 }).toBe("sent");
    } finally {
      worker.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(output).toMatch(/outbox consumers: payments, [^;\n]*\bemail\b/); // and the search index's when ELASTICSEARCH_URL is set
    expect(output).not.toContain(sink.url.split("@")[0]!); // the login is never logged
  });
});
