import { afterAll, beforeAll, expect, test } from "vitest";
import { env } from "../../lib/env.ts";
import { emailConsumer } from "../../lib/notify/consumer.ts";
import { EMAIL_TOPIC } from "../../lib/notify/notify.ts";
import { smtpNotifier } from "../../lib/notify/smtp.ts";
import { deliverNext } from "../../lib/worker/outbox.ts";
import { getOrderTimeline } from "../../db/queries/orders.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.ts";
import { notificationsOf, shipmentsOf } from "../support/routing-world.ts";
import { advanceTo, createOrdersWorld, placeRoutedOrder, stock, type OrdersWorld } from "../support/orders-world.ts";

let w: OrdersWorld;
let sink: SmtpSink;

beforeAll(async () => {
  delete process.env.SMTP_URL;
  sink = await startSmtpSink();
  w = createOrdersWorld();
  process.env.DATABASE_PATH = w.file;
  expect(env().DATABASE_PATH).toBe(w.file);
  expect(env().SMTP_URL).toBeUndefined();
  stock(w, w.loc.RTM, w.product.MUG, 10);
});
afterAll(async () => {
  await sink.close();
  w.cleanup();
});

test("without SMTP_URL notifications are recorded on the timeline only: nothing is queued for email and nothing is sent", async () => {
  const o = placeRoutedOrder(w, { lines: [{ product: w.product.MUG, qty: 1 }, { product: w.product.BLENDER, qty: 1 }] });
  await advanceTo(w.users.lead, o.orderId, shipmentsOf(w.db, o.orderId)[0]!.id, "shipped");
  const notes = notificationsOf(w.db, o.orderId);
  expect(notes.map((n) => [n.kind, n.delivery, n.sentAt])).toEqual([
    ["backordered", "recorded", null],
    ["shipped", "recorded", null],
  ]);
  // The message is still written in full, ready to read on the timeline.
  expect(notes[1]!.body).toContain("Still to come:\n- 1 × Countertop blender (backordered)");
  expect(notes[1]!.html).toContain("<li>1 × Stoneware mug</li>");
  expect(w.db.$client.prepare("SELECT count(*) AS n FROM outbox WHERE topic = ?").get(EMAIL_TOPIC)).toEqual({ n: 0 });

  // Even an email consumer pointed at a live server finds nothing to send.
  const notifier = smtpNotifier({ url: sink.url, from: env().MAIL_FROM });
  const pass = await deliverNext(w.db, emailConsumer(w.db, { notifier, from: env().MAIL_FROM }));
  notifier.close();
  expect(pass.outcome).toBe("delivered"); // it walked past the other topics
  expect(sink.received).toEqual([]);
  expect(sink.attempts.size).toBe(0);
  expect(getOrderTimeline({ orderId: o.orderId }).filter((e) => e.kind === "notification").map((e) => e.delivery)).toEqual([
    { state: "recorded", error: null, sentAt: null },
    { state: "recorded", error: null, sentAt: null },
  ]);
});
