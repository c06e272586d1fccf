// `npm run simulate -- [--rate 20] [--url http://localhost:3000] [--orders N]`: a realistic stream of signed events
// to a running Switchyard: Shopify orders, their Stripe payments a few seconds later, then the warehouse picking,
// packing, shipping and delivering what routing assigned, and now and then a stock receipt. Ctrl-C stops it.
import Database from "better-sqlite3";
import { env } from "../lib/env.ts";
import { post, senderSecrets, shopifyOrderPayload, signShopify, signStripe, signWarehouse, stripePaymentEvent, type Signed } from "./lib/senders.ts";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const rate = Number(opt("rate", "20"));
const maxOrders = Number(opt("orders", "0"));
const { DATABASE_PATH, PORT } = env();
const base = opt("url", `http://localhost:${PORT}`);
if (!(rate > 0)) throw new Error("--rate needs a positive number of events per second");
const secrets = senderSecrets(DATABASE_PATH);
// Read-only: the warehouse learns its pick lists (our shipment ids) the way a WMS would from our outbox.
const db = new Database(DATABASE_PATH, { readonly: true, fileMustExist: true });
const products = db.prepare("SELECT sku, name, price FROM products WHERE active = 1 ORDER BY id").all() as { sku: string; name: string; price: number }[];
const warehouses = db.prepare("SELECT code FROM locations WHERE kind <> 'dropship' AND active = 1 ORDER BY priority").all() as { code: string }[];
const CUSTOMERS: [string, string, { line1: string; city: string; zip: string; country: string; lat: number; lng: number }][] = [
  ["Mila", "Schneider", { line1: "Lindenallee 14", city: "Berlin", zip: "10115", country: "DE", lat: 52.52, lng: 13.405 }],
  ["Lucas", "Martin", { line1: "8 rue Victor Hugo", city: "Lyon", zip: "69002", country: "FR", lat: 45.764, lng: 4.8357 }],
  ["Sanne", "de Vries", { line1: "Keizersgracht 221", city: "Amsterdam", zip: "1016 DV", country: "NL", lat: 52.3676, lng: 4.9041 }],
  ["Oliver", "Hughes", { line1: "41 Station Road", city: "Manchester", zip: "M1 4BT", country: "GB", lat: 53.4808, lng: -2.2426 }],
  ["Giulia", "Romano", { line1: "Via Roma 7", city: "Milano", zip: "20121", country: "IT", lat: 45.4642, lng: 9.19 }],
  ["Erik", "Lindqvist", { line1: "Drottninggatan 3", city: "Stockholm", zip: "111 51", country: "SE", lat: 59.3293, lng: 18.0686 }],
];
const CARRIERS = ["DHL", "UPS", "PostNL", "DPD", "Royal Mail"];

const run = `${Date.now().toString(36)}`;
let seq = 0;
const counts = new Map<string, number>();
const queue: { at: number; send: () => Signed }[] = [];
const later = (ms: number, send: () => Signed) => queue.push({ at: Date.now() + ms, send });
const rnd = (n: number) => Math.floor(Math.random() * n);
const placed = new Set<number>();
const seenShipments = new Set<number>();

function placeOrder() {
  const id = 7_000_000_000 + Number(BigInt(Date.now()) % 1_000_000_000n) + ++seq;
  const [first, last, address] = CUSTOMERS[rnd(CUSTOMERS.length)]!;
  const lines = Array.from({ length: 1 + rnd(3) }, () => products[rnd(products.length)]!).filter((p, i, all) => all.findIndex((x) => x.sku === p.sku) === i);
  const payload = shopifyOrderPayload({
    id, email: `${first}.${last}.${seq}@example.test`.toLowerCase().replaceAll(" ", ""), name: [first, last], address,
    lines: lines.map((p) => ({ sku: p.sku, title: p.name, qty: 1 + rnd(2), price: (p.price / 100).toFixed(2) })), shipping: "4.95",
  });
  const amount = Math.round(Number(payload.total_price) * 100);
  later(0, () => signShopify("orders/create", payload, `sim-${run}-${id}-create`, secrets.shopify));
  const pi = `pi_sim_${run}_${id}`;
  // One in ten customers has a card declined first and pays on the second try.
  if (Math.random() < 0.1) later(1500, () => signStripe(stripePaymentEvent(`evt_${run}_${id}_f`, "payment_intent.payment_failed", { paymentIntentId: pi, amount, shopifyOrderId: id }), secrets.stripe));
  later(2000 + rnd(3000), () => signStripe(stripePaymentEvent(`evt_${run}_${id}_p`, "payment_intent.succeeded", { paymentIntentId: pi, amount, shopifyOrderId: id }), secrets.stripe));
  placed.add(id);
}

/** The warehouse's side: shipments routed for our orders get picked, packed, shipped and delivered over the next seconds. */
function pollShipments() {
  if (placed.size === 0) return;
  const rows = db
    .prepare(`SELECT s.id, o.number FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.status = 'pending' AND s.dropship = 0 AND o.external_ref LIKE 'shopify:%' AND o.placed_at > ?`)
    .all(Date.now() - 3_600_000) as { id: number; number: string }[];
  for (const s of rows) {
    if (seenShipments.has(s.id)) continue;
    seenShipments.add(s.id);
    const data = { shipment_id: s.id, order_number: s.number };
    const msg = (step: string) => `sim-${run}-${s.id}-${step}`;
    later(1000 + rnd(2000), () => signWarehouse("shipment.picked", data, msg("picked"), secrets.warehouse));
    later(4000 + rnd(2000), () => signWarehouse("shipment.packed", data, msg("packed"), secrets.warehouse));
    later(7000 + rnd(3000), () => signWarehouse("shipment.shipped", { ...data, carrier: CARRIERS[rnd(CARRIERS.length)], tracking_number: `SY${s.id}${rnd(1e6)}` }, msg("shipped"), secrets.warehouse));
    later(20000 + rnd(10000), () => signWarehouse("shipment.delivered", data, msg("delivered"), secrets.warehouse));
  }
}

function receiveStock() {
  const p = products[rnd(products.length)]!;
  const w = warehouses[rnd(warehouses.length)]!;
  later(0, () => signWarehouse("stock.received", { location_code: w.code, sku: p.sku, qty: 20 + rnd(40), reference: `PO-${run}-${++seq}` }, `sim-${run}-stock-${seq}`, secrets.warehouse));
}

let stopping = false;
process.on("SIGINT", () => (stopping = true));
console.log(`Sending about ${rate} events/s to ${base} (Ctrl-C to stop). Watch them arrive at ${base}/admin/events and /orders.`);
const orderEveryMs = (6.5 / rate) * 1000;
let nextOrder = Date.now();
let nextPoll = 0;
let nextStock = Date.now() + 15_000;
let nextReport = Date.now() + 5000;
let inFlight = 0;
let lastOrderAt: number | undefined;
while (!stopping || queue.length) {
  const now = Date.now();
  if (!stopping && now >= nextOrder && (!maxOrders || placed.size < maxOrders)) {
    placeOrder();
    nextOrder += orderEveryMs;
  }
  if (now >= nextPoll) {
    pollShipments();
    nextPoll = now + 1000;
  }
  if (!stopping && now >= nextStock) {
    receiveStock();
    nextStock = now + 30_000;
  }
  queue.sort((a, b) => a.at - b.at);
  while (queue.length && queue[0]!.at <= now) {
    const signed = queue.shift()!.send();
    inFlight += 1;
    // Now and then a sender delivers twice: the second answers 200 "duplicate".
    const copies = Math.random() < 0.03 ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      post(base, signed)
        .then((r) => counts.set(`${r.status} ${r.outcome ?? ""}`.trim(), (counts.get(`${r.status} ${r.outcome ?? ""}`.trim()) ?? 0) + 1))
        .catch((e: Error) => counts.set(`error ${e.message}`, (counts.get(`error ${e.message}`) ?? 0) + 1))
        .finally(() => i === copies - 1 && (inFlight -= 1));
    }
  }
  if (now >= nextReport) {
    nextReport = now + 5000;
    console.log(`${placed.size} orders; answers: ${[...counts].map(([k, v]) => `${k} × ${v}`).join(", ") || "none yet"}`);
  }
  // With --orders, stop once the last order has had time to be routed, shipped and delivered.
  if (maxOrders && placed.size >= maxOrders) lastOrderAt ??= now;
  if (lastOrderAt && queue.length === 0 && now - lastOrderAt > 45_000) break;
  await new Promise((r) => setTimeout(r, 20));
}
while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
console.log(`Done: ${placed.size} orders; answers: ${[...counts].map(([k, v]) => `${k} × ${v}`).join(", ")}`);
db.close();
