// `npm run worker`: routes paid orders and delivers the outbox until stopped (SIGINT/SIGTERM).
import { env } from "../lib/env.ts";
import { getDb } from "../db/client.ts";
import { runWorker } from "../lib/worker/run.ts";
import { runConsumer } from "../lib/worker/consumer-loop.ts";
import type { OutboxConsumer } from "../lib/worker/outbox.ts";
import { ordersIndex } from "../lib/search/elastic/client.ts";
import { elasticOrdersConsumer } from "../lib/search/elastic/consumer.ts";
import { paymentsConsumer } from "../lib/payments/consumer.ts";
import { paymentProvider, usePaymentProvider } from "../lib/payments/provider.ts";
import { stripeProvider } from "../lib/payments/stripe.ts";
import { emailConsumer } from "../lib/notify/consumer.ts";
import { smtpNotifier } from "../lib/notify/smtp.ts";
import { pruneDelivered } from "../lib/worker/cursors.ts";
import { readDeliverySettings } from "../lib/worker/delivery-settings.ts";
import { webhookDeliveries } from "../lib/webhooks/consumer.ts";

const { DATABASE_PATH, WORKER_POLL_MS, ELASTICSEARCH_URL, STRIPE_SECRET_KEY, STRIPE_API_BASE, SMTP_URL, MAIL_FROM } = env();
const db = getDb(DATABASE_PATH);
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => controller.abort());
const log = (line: string) => console.log(`[worker] ${new Date().toISOString()} ${line}`);
// Refunds are paid through Stripe when a key is set; otherwise the simulated provider (the demo) answers.
if (STRIPE_SECRET_KEY) usePaymentProvider(stripeProvider({ secretKey: STRIPE_SECRET_KEY, apiBase: STRIPE_API_BASE }));
const consumers: OutboxConsumer[] = [paymentsConsumer(db)];
if (ELASTICSEARCH_URL) consumers.push(elasticOrdersConsumer(db, ordersIndex({ url: ELASTICSEARCH_URL }), { log }));
// Customer email only when an SMTP server is configured; without one, notifications are recorded on the timeline and nothing is queued.
const mail = SMTP_URL ? smtpNotifier({ url: SMTP_URL, from: MAIL_FROM }) : null;
if (mail) consumers.push(emailConsumer(db, { notifier: mail, from: MAIL_FROM }));
// Outgoing webhooks: one consumer per enabled subscription, started and stopped as admins change them.
const webhooks = webhookDeliveries(db, { pollMs: WORKER_POLL_MS, log });
log(`started on ${DATABASE_PATH}; outbox consumers: ${[...consumers.map((c) => c.name), ...webhooks.names()].join(", ") || "none"}; payment provider: ${paymentProvider().name}${STRIPE_API_BASE ? ` at ${STRIPE_API_BASE}` : ""}`);
// Delivered rows every running consumer has passed are pruned after the retention period (settings.outbox_delivery).
const pruning = setInterval(() => {
  const pruned = pruneDelivered(db, [...consumers.map((c) => c.name), ...webhooks.names()], { retentionMs: readDeliverySettings(db).retentionHours * 3_600_000 });
  if (pruned) log(`pruned ${pruned} delivered outbox row(s)`);
}, 60_000);
const delivering = webhooks.run(controller.signal);
// --outbox-only: deliveries alone, no routing or alerts (the end-to-end server, whose fixtures routing would change).
if (process.argv.includes("--outbox-only")) await Promise.all(consumers.map((c) => runConsumer(db, c, { pollMs: WORKER_POLL_MS, signal: controller.signal, log })));
else await runWorker({ db, consumers, pollMs: WORKER_POLL_MS, signal: controller.signal, log });
await delivering;
clearInterval(pruning);
mail?.close(); // its pooled connection would keep the process alive
log("stopped");
