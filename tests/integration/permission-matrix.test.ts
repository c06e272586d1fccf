import { afterAll, describe, expect, test } from "vitest";
import { globSync } from "node:fs";
import path from "node:path";
import { ROLES, type Role } from "../../db/schema/auth.ts";
import { can, PERMISSIONS, type Permission, type SessionUser } from "../../lib/auth/permissions.ts";
import { runAs } from "../../lib/auth/session.ts";
import { evaluateAndStoreAlerts } from "../../lib/alerts/evaluate.ts";
import { seededAppDatabase, tableCounts } from "../support/app-db.ts";
import { insertUser } from "../support/fixtures.ts";
import { versionOf } from "../support/current.ts";
import { makeApiKey } from "../support/api.ts";
import { createSubscription } from "../../lib/webhooks/subscriptions.ts";

/**
 * The whole permission matrix, generated: every exported server action (app/**\/actions.ts) and every
 * route handler (app/api/**\/route.ts) × every role and signed out. What is allowed comes from
 * PERMISSIONS and the permission each action or route declares; nothing is listed by hand except
 * inputs that make a refused call worth refusing (real ids, so a missing check would write).
 */

const app = await seededAppDatabase({ orders: 150 });
const { db, users } = app;
afterAll(() => app.cleanup());
evaluateAndStoreAlerts(db);

const root = process.cwd();
const one = <T>(sqlText: string) => db.$client.prepare(sqlText).get() as T;

type Callable = { kind: "action" | "route"; name: string; file: string; permission: Permission; call: () => Promise<unknown> };

// Handlers written without the route()/queryRoute() wrappers declare their permission here.
const UNWRAPPED_ROUTES: Record<string, Permission> = { "GET /api/search": "orders:read" };
const SKIPPED_ROUTES = ["app/api/auth/[...nextauth]/route.ts", "app/api/health/route.ts"];
/** Public on purpose, like any API's reference: checked apart below (answer without a session, write nothing). */
const PUBLIC_ROUTES = ["GET /api/v1/openapi.json", "GET /api/docs", "GET /api/docs/[asset]"];

// Plausible inputs with real ids: a refused call must be refused for its role, not for bad input.
const order = one<{ id: number; number: string }>("SELECT id, number FROM orders WHERE status = 'awaiting_fulfillment' ORDER BY id LIMIT 1");
const pendingLine = one<{ orderId: number; shipmentId: number; orderLineId: number; sku: string }>(`
  SELECT s.order_id AS orderId, s.id AS shipmentId, sl.order_line_id AS orderLineId, l.sku FROM shipments s
  JOIN shipment_lines sl ON sl.shipment_id = s.id JOIN order_lines l ON l.id = sl.order_line_id
  WHERE s.status = 'pending' AND s.dropship = 0 ORDER BY s.id LIMIT 1`);
const delivered = one<{ id: number }>("SELECT id FROM orders WHERE status = 'delivered' AND paid - refunded > 1000 ORDER BY id LIMIT 1");
const waitingRefund = one<{ id: number; orderId: number } | undefined>("SELECT id, order_id AS orderId FROM refunds WHERE status = 'pending_approval' ORDER BY id LIMIT 1");
const backorder = one<{ id: number; orderId: number } | undefined>("SELECT id, order_id AS orderId FROM backorders WHERE status = 'pending' ORDER BY id LIMIT 1");
const alert = one<{ id: number }>("SELECT id FROM alerts WHERE status = 'open' ORDER BY id LIMIT 1");
// A lead owns shipment alerts only (lib/alerts/scope.ts): assigning one is what their permission is for.
const shipmentAlert = one<{ id: number }>("SELECT id FROM alerts WHERE status = 'open' AND rule = 'shipment_past_sla' ORDER BY id LIMIT 1");
const location = one<{ id: number }>("SELECT id FROM locations WHERE kind <> 'dropship' ORDER BY id DESC LIMIT 1");
let userSeq = 0;
const roleTarget = insertUser(db, "agent", "matrix-role-target@switchyard.test");
const disableTarget = insertUser(db, "warehouse_lead", "matrix-disable-target@switchyard.test");
const revokeTarget = makeApiKey(db, ["orders:read"], { name: "matrix revoke target" });
const rejectedEvent = db.$client
  .prepare("INSERT INTO webhook_events (source, event_id, type, payload, received_at, outcome, error) VALUES ('warehouse', 'matrix-rejected', 'shipment.picked', '{}', ?, 'rejected', 'matrix: type is missing') RETURNING id")
  .get(Date.now()) as { id: number };
const passwordTarget = insertUser(db, "finance", "matrix-password-target@switchyard.test");
const subscribe = () => db.transaction((tx) => createSubscription(tx, { url: "https://example.com/matrix-hooks", eventTypes: ["order.created"], actor: { id: null, label: "matrix" }, at: Date.now() }));
// Two subscriptions: the one an allowed call disables is not the one the test event and rotation need enabled.
const subscription = subscribe();
const disableTargetSubscription = subscribe();

// A dead letter, so a retry or discard without its check would write.
db.$client
  .prepare("INSERT INTO outbox_dead_letters (consumer, outbox_id, topic, aggregate_type, aggregate_id, payload, message_at, status, attempts, created_at, updated_at) VALUES ('matrix', 1, 'order.created', 'order', ?, '{}', ?, 'dead', 8, ?, ?)")
  .run(order.id, Date.now(), Date.now(), Date.now());

const ACTION_INPUTS: Record<string, () => unknown> = {
  cancelOrderAction: () => ({ orderId: order.id, reason: "matrix: customer asked" }),
  cancelUnitsAction: () => ({ orderId: pendingLine.orderId, lines: [{ orderLineId: pendingLine.orderLineId, qty: 1 }], reason: "matrix: one unit" }),
  moveUnitsAction: () => ({ orderId: pendingLine.orderId, shipmentId: pendingLine.shipmentId, orderLineId: pendingLine.orderLineId, qty: 1, toLocationId: location.id, reason: "Stock is at the other location" }),
  backorderUnitsAction: () => ({ orderId: pendingLine.orderId, shipmentId: pendingLine.shipmentId, orderLineId: pendingLine.orderLineId, qty: 1, reason: "matrix: damaged" }),
  advanceShipmentAction: () => ({ orderId: pendingLine.orderId, shipmentId: pendingLine.shipmentId, to: "picking" }),
  requestRefundAction: () => ({ orderId: delivered.id, amount: 100, reason: "matrix: goodwill" }),
  decideRefundAction: () => ({ orderId: waitingRefund?.orderId ?? order.id, refundId: waitingRefund?.id ?? 1, approve: false, note: "matrix: no" }),
  addNoteAction: () => ({ orderId: order.id, body: "matrix note" }),
  recordBackorderChoiceAction: () => ({ orderId: backorder?.orderId ?? order.id, backorderId: backorder?.id ?? 1, choice: "wait" }),
  receiveStockAction: () => ({ locationId: location.id, sku: pendingLine.sku, qty: 1 }),
  decideQueuedRefundAction: () => ({ refundId: waitingRefund?.id ?? 1, approve: false, note: "matrix: no" }),
  retryRefundAction: () => ({ refundId: 1, note: "matrix: retry" }),
  acknowledgeAlertAction: () => ({ alertId: alert.id, note: "matrix: looking", snoozeHours: 1 }),
  evaluateAlertsNowAction: () => ({}),
  acknowledgeAlertsAction: () => ({ alertIds: [alert.id], note: "matrix: looking", snoozeHours: 1 }),
  assignAlertsAction: () => ({ alertIds: [shipmentAlert.id], ownerId: users.manager.id }),
  setDefaultLocationAction: () => ({ locationId: location.id }),
  createUserAction: () => ({ email: `matrix-${++userSeq}@switchyard.test`, name: "Matrix User", role: "agent", password: "a long enough password" }),
  inviteUserAction: () => ({ email: `matrix-invite-${++userSeq}@switchyard.test`, name: "Matrix Invitee", role: "agent" }),
  revokeInviteAction: () => ({ inviteId: 1 }),
  // Targets of their own: the callers' rows are re-read at every write, so demoting or disabling them would change the matrix.
  changeUserRoleAction: () => ({ userId: roleTarget.id, role: "warehouse_lead" }),
  setUserDisabledAction: () => ({ userId: disableTarget.id, disabled: true }),
  setUserPasswordAction: () => ({ userId: passwordTarget.id, password: "a long enough password" }),
  setRefundLimitAction: () => ({ amount: 12_345, currency: "EUR" }),
  setAlertThresholdsAction: () => ({ awaiting_fulfillment_hours: 30, payment_processing_minutes: 45, backorder_age_days: 5, shipment_sla_hours: 40 }),
  setLocationSlaAction: () => ({ locationId: location.id, hours: 30 }),
  setDeliverySettingsAction: () => ({ maxAttempts: 5, retentionHours: 72 }),
  retryDeadLettersAction: () => ({ consumer: "matrix", ids: "all" }),
  discardDeadLettersAction: () => ({ consumer: "matrix", ids: "all" }),
  setWebhookSecretAction: () => ({ source: "warehouse" }),
  replayWebhookEventAction: () => ({ eventId: rejectedEvent.id }),
  createApiKeyAction: () => ({ name: "matrix key", scopes: ["orders:read"], rateLimitPerMinute: 60 }),
  revokeApiKeyAction: () => ({ id: revokeTarget.id }),
  createSubscriptionAction: () => ({ url: "https://example.com/matrix-new", eventTypes: ["order.created", "refund.succeeded"] }),
  rotateSubscriptionSecretAction: () => ({ subscriptionId: subscription.id }),
  setSubscriptionEnabledAction: () => ({ subscriptionId: disableTargetSubscription.id, enabled: false }),
  changeSubscriptionEventTypesAction: () => ({ subscriptionId: subscription.id, eventTypes: ["refund.succeeded"] }),
  sendTestEventAction: () => ({ subscriptionId: subscription.id }),
};

const ROUTE_REQUESTS: Record<string, () => RequestInit & { query?: string }> = {
  "POST /api/routing/preview": () => ({ method: "POST", body: JSON.stringify({ lines: [{ sku: pendingLine.sku, qty: 1 }], shipTo: { country: "DE" } }), headers: { "content-type": "application/json" } }),
  "GET /api/search": () => ({ query: `q=${encodeURIComponent(order.number)}` }),
  "GET /api/refunds/export": () => ({ query: "status=succeeded" }),
};

const missing: string[] = [];
const callables: Callable[] = [];
/** Webhook receivers: authenticated by the sender's signature, never by a session; checked apart below. */
const signatureRoutes: { name: string; call: () => Promise<Response> }[] = [];
/** The orders API: authenticated by an API key (its scopes, lib/api/scopes.ts), never by a session; checked apart below. */
const apiKeyRoutes: { name: string; scope: string; call: () => Promise<Response> }[] = [];
const publicRoutes: { name: string; call: () => Promise<Response> }[] = [];

for (const file of globSync("app/**/actions.ts", { cwd: root }).sort()) {
  const mod = (await import(path.join(root, file))) as Record<string, unknown>;
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== "function") continue;
    const permission = (value as { permission?: Permission }).permission;
    if (!permission) {
      missing.push(`${file}: ${name} is not wrapped with action() (no declared permission)`);
      continue;
    }
    const input = ACTION_INPUTS[name] ?? (() => ({}));
    // Order actions carry the version the screen showed: the current one, so allowed calls really run.
    const withVersion = () => {
      const i = input() as { orderId?: number };
      return i.orderId ? { ...i, expectedVersion: versionOf(i.orderId) } : i;
    };
    callables.push({ kind: "action", name, file, permission, call: () => (value as (i: unknown) => Promise<unknown>)(withVersion()) });
  }
}

for (const file of globSync("app/api/**/route.ts", { cwd: root }).sort()) {
  if (SKIPPED_ROUTES.includes(file)) continue;
  const urlPath = "/" + path.dirname(file).replace(/^app\//, "");
  const mod = (await import(path.join(root, file))) as Record<string, unknown>;
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
    const handler = mod[method];
    if (typeof handler !== "function") continue;
    const name = `${method} ${urlPath}`;
    const call = (init: RequestInit = {}) => (handler as (r: Request) => Promise<Response>)(new Request(`http://localhost${urlPath.replace(/\[(\w+)\]/g, (_m, p: string) => (p === "number" ? order.number : "init.js"))}`, { method, ...init }));
    if (PUBLIC_ROUTES.includes(name)) {
      publicRoutes.push({ name, call: () => call() });
      continue;
    }
    const scope = (handler as { apiKeyScope?: string }).apiKeyScope;
    if (scope) {
      // A plausible body with an Idempotency-Key, so only the missing key stands between the call and a write.
      const body = method === "POST" ? { body: JSON.stringify({ reason: "customer_requested" }), headers: { "content-type": "application/json", "idempotency-key": `matrix-${name}` } } : {};
      apiKeyRoutes.push({ name, scope, call: () => call(body) });
      continue;
    }
    if ((handler as { signatureAuthenticated?: string }).signatureAuthenticated) {
      const unsigned = () => new Request(`http://localhost${urlPath}`, { method, body: JSON.stringify({ id: "evt_matrix", type: "payment_intent.succeeded" }), headers: { "content-type": "application/json" } });
      signatureRoutes.push({ name, call: () => (handler as (r: Request) => Promise<Response>)(unsigned()) });
      continue;
    }
    const permission = (handler as { permission?: Permission }).permission ?? UNWRAPPED_ROUTES[name];
    if (!permission) {
      missing.push(`${file}: ${method} declares no permission (wrap it with route()/queryRoute() or list it in UNWRAPPED_ROUTES)`);
      continue;
    }
    const init = ROUTE_REQUESTS[name]?.() ?? { method };
    const { query, ...rest } = init;
    callables.push({
      kind: "route",
      name,
      file,
      permission,
      call: async () => {
        const res = (await (handler as (r: Request) => Promise<Response>)(new Request(`http://localhost${urlPath}${query ? `?${query}` : ""}`, { method, ...rest }))) as Response;
        await res.body?.cancel(); // a streamed export must not keep its read connection open
        return res;
      },
    });
  }
}

const actors: { label: string; role: Role | null; user: SessionUser | null }[] = [...ROLES.map((role) => ({ label: role, role, user: users[role] })), { label: "signed out", role: null, user: null }];
const actionCount = callables.filter((c) => c.kind === "action").length;
const routeCount = callables.length - actionCount;
console.log(`permission matrix: ${actors.length} callers (${ROLES.length} roles + signed out) × (${actionCount} actions + ${routeCount} routes) = ${actors.length * callables.length} pairs`);

const pairs = callables.flatMap((c) => actors.map((a) => ({ ...c, actor: a.label, role: a.role, user: a.user, allowed: a.role !== null && can({ role: a.role }, c.permission) })));

describe("permission matrix", () => {
  test("every action and route declares the permission it checks", () => {
    expect(missing).toEqual([]);
    expect(actionCount).toBeGreaterThanOrEqual(19);
    expect(routeCount).toBeGreaterThanOrEqual(3);
  });

  test("webhook receivers are signature-authenticated: unsigned calls are 401 for every role and signed out, and write nothing", async () => {
    expect(signatureRoutes.map((r) => r.name).sort()).toEqual(["POST /api/webhooks/shopify", "POST /api/webhooks/stripe", "POST /api/webhooks/warehouse"]);
    for (const r of signatureRoutes) {
      for (const a of actors) {
        const before = tableCounts(db);
        const res = await runAs(a.user, () => r.call());
        expect(res.status, `${r.name} as ${a.label}`).toBe(401);
        expect(tableCounts(db)).toEqual(before);
      }
    }
  });

  test("orders API routes are API-key authenticated: without a key they are 401 for every role and signed out, and write nothing", async () => {
    expect(apiKeyRoutes.map((r) => r.name).sort()).toEqual([
      "GET /api/v1/orders",
      "GET /api/v1/orders/[number]",
      "POST /api/v1/orders",
      "POST /api/v1/orders/[number]/cancel",
      "POST /api/v1/orders/[number]/payments",
    ]);
    for (const r of apiKeyRoutes) {
      for (const a of actors) {
        const before = tableCounts(db);
        const res = await runAs(a.user, () => r.call());
        expect(res.status, `${r.name} as ${a.label}`).toBe(401);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(tableCounts(db)).toEqual(before);
      }
    }
  });

  test("the API reference and its document are public: they answer signed out and write nothing", async () => {
    expect(publicRoutes.map((r) => r.name).sort()).toEqual([...PUBLIC_ROUTES].sort());
    for (const r of publicRoutes) {
      const before = tableCounts(db);
      const res = await runAs(null, () => r.call());
      expect(res.status, r.name).toBe(200);
      expect(tableCounts(db)).toEqual(before);
    }
  });

  test("every declared permission is one some role holds (no dead doors)", () => {
    for (const c of callables) expect(Object.values(PERMISSIONS).some((ps) => ps.includes(c.permission))).toBe(true);
  });

  test.each(pairs)("$kind $name as $actor (needs $permission): allowed=$allowed", async (p) => {
    const before = tableCounts(db);
    const result = await runAs(p.user, () => p.call());
    if (p.kind === "action") {
      const r = result as { ok: boolean; code?: string };
      if (p.allowed) {
        expect(r.ok || !["forbidden", "unauthenticated"].includes(r.code!), `${p.name} refused an allowed ${p.actor}: ${JSON.stringify(r)}`).toBe(true);
      } else {
        expect(r).toMatchObject({ ok: false, code: p.role ? "forbidden" : "unauthenticated" });
        expect(tableCounts(db)).toEqual(before);
      }
    } else {
      const res = result as Response;
      if (p.allowed) {
        expect([401, 403]).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
      } else {
        expect(res.status).toBe(p.role ? 403 : 401);
        expect(tableCounts(db)).toEqual(before);
      }
    }
  });
});
