import { describe, expect, test } from "vitest";
import { DEFAULT_THRESHOLDS, evaluateAlerts, readThresholds, type AlertFacts, type LiveAlert } from "../../lib/alerts/rules.ts";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function facts(over: Partial<AlertFacts> = {}): AlertFacts {
  return { awaitingFulfillment: [], paymentProcessing: [], pendingBackorders: [], pendingShipments: [], failedWebhooks: [], undeliveredOutbox: [], heldOrders: [], ...over };
}

const run = (f: AlertFacts, live: LiveAlert[] = [], thresholds = DEFAULT_THRESHOLDS) => evaluateAlerts({ facts: f, thresholds, live, now: NOW });

describe("evaluateAlerts", () => {
  test("an order awaiting fulfilment longer than the threshold raises one alert aged from when it entered the status", () => {
    const r = run(facts({ awaitingFulfillment: [{ orderId: 7, since: NOW - 25 * HOUR }, { orderId: 8, since: NOW - 23 * HOUR }] }));
    expect(r.raise).toEqual([{ rule: "awaiting_fulfillment_stale", subject: "order:7", orderId: 7, since: NOW - 25 * HOUR, data: { thresholdHours: 24 } }]);
    expect(r.reraise).toEqual([]);
    expect(r.resolve).toEqual([]);
  });

  test("exactly at the threshold is not yet stuck", () => {
    expect(run(facts({ awaitingFulfillment: [{ orderId: 1, since: NOW - 24 * HOUR }] })).raise).toEqual([]);
  });

  test("thresholds come from settings: a lower one raises earlier", () => {
    const t = { ...DEFAULT_THRESHOLDS, payment_processing_minutes: 10 };
    const f = facts({ paymentProcessing: [{ orderId: 3, since: NOW - 11 * 60_000 }] });
    expect(run(f).raise).toEqual([]);
    expect(run(f, [], t).raise.map((a) => a.subject)).toEqual(["order:3"]);
  });

  test("backorders older than N days, shipments past ship_by and failed webhooks each raise their own rule", () => {
    const r = run(
      facts({
        pendingBackorders: [{ backorderId: 5, orderId: 2, createdAt: NOW - 8 * DAY }, { backorderId: 6, orderId: 2, createdAt: NOW - 6 * DAY }],
        pendingShipments: [{ shipmentId: 9, orderId: 4, shipBy: NOW - 1 }, { shipmentId: 10, orderId: 4, shipBy: NOW + HOUR }],
        failedWebhooks: [{ webhookId: 11, orderId: 4, receivedAt: NOW - HOUR, error: "unknown order" }],
      }),
    );
    expect(r.raise.map((a) => `${a.rule} ${a.subject} ${a.orderId}`)).toEqual(["backorder_aged backorder:5 2", "shipment_past_sla shipment:9 4", "webhook_failed webhook:11 4"]);
  });

  test("outbox messages failing 3+ times raise one alert per topic, aged from the oldest", () => {
    const r = run(
      facts({
        undeliveredOutbox: [
          { outboxId: 1, orderId: 1, createdAt: NOW - 2 * HOUR, attempts: 3, topic: "search.index", lastError: "ECONNREFUSED" },
          { outboxId: 2, orderId: 2, createdAt: NOW - 3 * HOUR, attempts: 5, topic: "search.index", lastError: "timeout" },
          { outboxId: 3, orderId: 3, createdAt: NOW - 9 * HOUR, attempts: 2, topic: "order.routed", lastError: "x" },
        ],
      }),
    );
    expect(r.raise).toEqual([{ rule: "outbox_failing", subject: "outbox:search.index", orderId: null, since: NOW - 3 * HOUR, data: { topic: "search.index", messages: 2, attempts: 5, error: "timeout" } }]);
  });

  test("a live alert for a condition that still holds is not raised twice", () => {
    const r = run(facts({ awaitingFulfillment: [{ orderId: 7, since: NOW - 30 * HOUR }] }), [{ id: 1, rule: "awaiting_fulfillment_stale", subject: "order:7", status: "open", snoozedUntil: null }]);
    expect(r).toEqual({ raise: [], reraise: [], resolve: [] });
  });

  test("an acknowledged alert stays quiet during its snooze and is re-raised after it if still stuck", () => {
    const f = facts({ awaitingFulfillment: [{ orderId: 7, since: NOW - 30 * HOUR }] });
    const ack = (snoozedUntil: number): LiveAlert[] => [{ id: 4, rule: "awaiting_fulfillment_stale", subject: "order:7", status: "acknowledged", snoozedUntil }];
    expect(run(f, ack(NOW + 1))).toEqual({ raise: [], reraise: [], resolve: [] });
    expect(run(f, ack(NOW))).toEqual({ raise: [], reraise: [4], resolve: [] });
  });

  test("alerts whose condition cleared are resolved, acknowledged or not; rules not managed here are left alone", () => {
    const live: LiveAlert[] = [
      { id: 1, rule: "awaiting_fulfillment_stale", subject: "order:7", status: "open", snoozedUntil: null },
      { id: 2, rule: "shipment_past_sla", subject: "shipment:3", status: "acknowledged", snoozedUntil: NOW + HOUR },
      { id: 3, rule: "someone_elses_rule", subject: "order:9", status: "open", snoozedUntil: null },
    ];
    expect(run(facts(), live)).toEqual({ raise: [], reraise: [], resolve: [1, 2] });
  });

  test("a held order's routing_held alert re-opens after its snooze while still held, and resolves once the order is no longer held", () => {
    const held = facts({ heldOrders: [{ orderId: 9, since: NOW - 2 * HOUR, reason: "no stock" }] });
    const ack = (snoozedUntil: number): LiveAlert[] => [{ id: 3, rule: "routing_held", subject: "order:9", status: "acknowledged", snoozedUntil }];
    expect(run(held, ack(NOW + 1))).toEqual({ raise: [], reraise: [], resolve: [] });
    expect(run(held, ack(NOW))).toEqual({ raise: [], reraise: [3], resolve: [] });
    expect(run(facts(), ack(NOW + HOUR))).toEqual({ raise: [], reraise: [], resolve: [3] });
    expect(run(held).raise).toEqual([{ rule: "routing_held", subject: "order:9", orderId: 9, since: NOW - 2 * HOUR, data: { reason: "no stock" } }]);
  });

  test("the same facts give the same answer (no clock or randomness inside)", () => {
    const f = facts({ paymentProcessing: [{ orderId: 1, since: NOW - 2 * HOUR }], pendingShipments: [{ shipmentId: 2, orderId: 1, shipBy: NOW - HOUR }] });
    expect(run(f)).toEqual(run(f));
  });
});

describe("readThresholds", () => {
  test("reads the seeded setting and falls back per key on missing or nonsense values", () => {
    expect(readThresholds({ awaiting_fulfillment_hours: 12, payment_processing_minutes: 30, backorder_age_days: 3, shipment_sla_hours: 24 })).toEqual({
      awaiting_fulfillment_hours: 12,
      payment_processing_minutes: 30,
      backorder_age_days: 3,
      shipment_sla_hours: 24,
    });
    expect(readThresholds({ awaiting_fulfillment_hours: -1, payment_processing_minutes: "60" })).toEqual(DEFAULT_THRESHOLDS);
    expect(readThresholds(null)).toEqual(DEFAULT_THRESHOLDS);
  });
});
