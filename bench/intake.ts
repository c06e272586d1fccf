// `npm run bench -- intake [--events N] [--senders N] [--url URL]`: signed webhooks through HTTP against a running
// `npm start` (seeded database, worker beside it), several concurrent senders, 10 % duplicate deliveries and 10 %
// out-of-order pairs. Reports events/s, latency to the 200, payment → routed, and checks the end state.
import Database from "better-sqlite3";
import { env } from "../lib/env.ts";
import { arg, table, writeResult } from "./lib.ts";
import { post, senderSecrets, shopifyOrderPayload, signShopify, signStripe, stripePaymentEvent, type Signed } from "../scripts/lib/senders.ts";

type Flow = { shopifyId: number; amount: number; pi: string; refundId: string; steps: { name: "create" | "pay" | "refund"; signed: () => Signed; dup: boolean }[]; swapped: boolean };

const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0);

export async function main(args: string[]): Promise<void> {
  const events = arg(args, "events", 12_000);
  const senders = arg(args, "senders", 8);
  const { DATABASE_PATH, PORT } = env();
  const urlAt = args.indexOf("--url");
  const base = urlAt >= 0 ? args[urlAt + 1]! : `http://localhost:${PORT}`;
  const secrets = senderSecrets(DATABASE_PATH);
  const db = new Database(DATABASE_PATH, { readonly: true, fileMustExist: true });
  const products = db.prepare("SELECT sku, name, price FROM products WHERE active = 1 ORDER BY id LIMIT 200").all() as { sku: string; name: string; price: number }[];

  // Three events per order: placed (Shopify), paid (Stripe), a partial refund (Stripe). 10 % of orders send a pair swapped.
  const run = Date.now();
  const flows: Flow[] = [];
  for (let i = 0; i < Math.ceil(events / 3); i++) {
    const shopifyId = run * 100 + i;
    const p = products[i % products.length]!;
    const payload = shopifyOrderPayload({ id: shopifyId, email: `bench-${run}-${i}@example.test`, name: ["Bench", `Sender ${i}`], address: { line1: `Benchstraße ${i}`, city: "Leipzig", zip: "04109", country: "DE", lat: 51.34, lng: 12.37 }, lines: [{ sku: p.sku, title: p.name, qty: 1, price: (p.price / 100).toFixed(2) }], shipping: "4.95" });
    const amount = p.price + 495;
    const pi = `pi_bench_${run}_${i}`;
    const refundId = `re_bench_${run}_${i}`;
    const steps: Flow["steps"] = [
      { name: "create", signed: () => signShopify("orders/create", payload, `bench-${run}-${i}`, secrets.shopify), dup: false },
      { name: "pay", signed: () => signStripe(stripePaymentEvent(`evt_bench_${run}_${i}_p`, "payment_intent.succeeded", { paymentIntentId: pi, amount, shopifyOrderId: shopifyId }), secrets.stripe), dup: false },
      { name: "refund", signed: () => signStripe({ id: `evt_bench_${run}_${i}_r`, object: "event", type: "refund.created", data: { object: { id: refundId, object: "refund", amount: 100, currency: "eur", payment_intent: pi, status: "succeeded", reason: "requested_by_customer" } } }, secrets.stripe), dup: false },
    ];
    const swapped = i % 10 === 3;
    if (swapped) [steps[0], steps[1]] = [steps[1]!, steps[0]!];
    for (const [k, s] of steps.entries()) s.dup = (i * 3 + k) % 10 === 7;
    flows.push({ shopifyId, amount, pi, refundId, steps, swapped });
  }

  // Signed up front (well inside the 300 s tolerance), so the clock measures the server, not the senders' HMACs.
  const signedSteps = new Map(flows.flatMap((f) => f.steps.map((s) => [s, s.signed()] as const)));
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  const paidAt = new Map<number, number>();
  let sent = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let f = next++; f < flows.length; f = next++) {
        const flow = flows[f]!;
        for (const step of flow.steps) {
          const signed = signedSteps.get(step)!;
          for (let copy = 0; copy < (step.dup ? 2 : 1); copy++) {
            const r = await post(base, signed);
            sent += 1;
            latencies.push(r.ms);
            const key = `${r.status} ${r.outcome}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            if (step.name === "pay" && copy === 0) paidAt.set(flow.shopifyId, Date.now());
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);

  // Payment → routed: wait for the worker to route every order, then read when each left "paid".
  const deadline = Date.now() + 120_000;
  const orderRows = () =>
    db.prepare(`SELECT external_ref AS ref, status, paid, refunded, total, id FROM orders WHERE external_ref >= ? AND external_ref < ?`).all(`shopify:${run * 100}`, `shopify:${run * 100 + flows.length}`) as { ref: string; status: string; paid: number; refunded: number; total: number; id: number }[];
  let rows = orderRows();
  while (Date.now() < deadline && rows.some((r) => r.status === "paid")) {
    await new Promise((r) => setTimeout(r, 500));
    rows = orderRows();
  }
  const routedAt = db.prepare("SELECT min(created_at) AS at FROM audit_events WHERE order_id = ? AND from_status = 'paid'");
  const toRouted: number[] = [];
  for (const r of rows) {
    const at = (routedAt.get(r.id) as { at: number | null }).at;
    const paid = paidAt.get(Number(r.ref.slice(8)));
    if (at && paid) toRouted.push(Math.max(0, at - paid));
  }
  toRouted.sort((a, b) => a - b);

  // Invariants: every event stored once and applied; every order paid in full and refunded exactly once; status explained.
  const evtIds = flows.flatMap((f) => [`bench-${run}-${f.shopifyId - run * 100}`, `evt_bench_${run}_${f.shopifyId - run * 100}_p`, `evt_bench_${run}_${f.shopifyId - run * 100}_r`]);
  const stored = db.prepare(`SELECT outcome, count(*) AS n, sum(duplicates) AS dups FROM webhook_events WHERE event_id IN (SELECT value FROM json_each(?)) GROUP BY outcome`).all(JSON.stringify(evtIds)) as { outcome: string; n: number; dups: number }[];
  const refundsOnce = (db.prepare(`SELECT count(*) AS n FROM refunds WHERE provider_ref LIKE ?`).get(`re_bench_${run}_%`) as { n: number }).n;
  const explained = new Set(["awaiting_fulfillment", "partially_fulfilled", "fulfilled", "delivered", "paid"]);
  const wrong = rows.filter((r) => !explained.has(r.status) || r.paid !== r.total || r.refunded !== 100);
  const storedTotal = stored.reduce((n, s) => n + s.n, 0);
  const applied = stored.find((s) => s.outcome === "applied")?.n ?? 0;
  const dupsStored = stored.reduce((n, s) => n + (s.dups ?? 0), 0);
  const dupsSent = flows.reduce((n, f) => n + f.steps.filter((s) => s.dup).length, 0);
  const invariant = { ordersExpected: flows.length, ordersFound: rows.length, eventsUnique: evtIds.length, eventsStored: storedTotal, eventsApplied: applied, duplicatesSent: dupsSent, duplicatesCounted: dupsStored, refundsRecorded: refundsOnce, ordersInUnexplainedState: wrong.length, stillPaidNotRouted: rows.filter((r) => r.status === "paid").length };
  const ok = rows.length === flows.length && storedTotal === evtIds.length && applied === evtIds.length && dupsStored === dupsSent && refundsOnce === flows.length && wrong.length === 0;

  const result = {
    when: new Date().toISOString(),
    target: base,
    senders,
    requests: sent,
    uniqueEvents: evtIds.length,
    duplicateShare: dupsSent / evtIds.length,
    outOfOrderPairs: flows.filter((f) => f.swapped).length,
    seconds: Math.round(seconds * 100) / 100,
    acceptedPerSecond: Math.round(sent / seconds),
    latencyMs: { p50: round(pct(latencies, 50)), p95: round(pct(latencies, 95)), p99: round(pct(latencies, 99)), max: round(latencies.at(-1) ?? 0) },
    paymentToRoutedMs: { p50: pct(toRouted, 50), p95: pct(toRouted, 95), p99: pct(toRouted, 99), orders: toRouted.length },
    answers: Object.fromEntries(statuses),
    invariant: { ok, ...invariant },
    goal: { eventsPerSecond: 1000, p99Ms: 50 },
  };
  table([
    { measure: "requests/s (to the 200)", value: result.acceptedPerSecond },
    { measure: "latency p50 / p95 / p99 ms", value: `${result.latencyMs.p50} / ${result.latencyMs.p95} / ${result.latencyMs.p99}` },
    { measure: "payment → routed p50 / p95 ms", value: `${result.paymentToRoutedMs.p50} / ${result.paymentToRoutedMs.p95}` },
    { measure: "invariant", value: ok ? "ok" : `FAILED ${JSON.stringify(invariant)}` },
  ]);
  console.log(`answers: ${JSON.stringify(result.answers)}`);
  console.log(`wrote ${writeResult("intake", result)}`);
  db.close();
  if (!ok) process.exitCode = 1;
}

const round = (n: number) => Math.round(n * 10) / 10;
