import type { Tx } from "../../db/client.ts";
import { prepared } from "../../db/raw.ts";
import { readRefundLimits } from "../../db/queries/ledger.ts";
import { appendAudit, type Actor } from "../audit.ts";
import { DomainError } from "../errors.ts";
import type { AlertThresholds } from "../alerts/rules.ts";
import type { DeliverySettings } from "../worker/delivery-settings.ts";

/**
 * Writes one settings row and its audit row (entity_type 'setting', entity_id the row's rowid, the
 * key, old and new value in data). An unchanged value writes nothing.
 */
function putSetting(tx: Tx, s: { key: string; value: unknown; actor: Actor; at: number }): { changed: boolean } {
  const before = prepared(tx, "SELECT rowid AS id, value FROM settings WHERE key = ?").get(s.key) as { id: number; value: string } | undefined;
  const next = JSON.stringify(s.value);
  if (before && before.value === next) return { changed: false };
  prepared(tx, "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by").run(
    s.key,
    next,
    s.at,
    s.actor.id,
  );
  const id = (prepared(tx, "SELECT rowid AS id FROM settings WHERE key = ?").get(s.key) as { id: number }).id;
  appendAudit(tx, { entityType: "setting", entityId: id, actor: s.actor, action: "setting_changed", reason: s.key, data: { key: s.key, from: before ? JSON.parse(before.value) : null, to: s.value }, at: s.at });
  return { changed: true };
}

/** Sets the agent refund limit for one currency; the others keep theirs (one settings row holds them all). */
export function setAgentRefundLimit(tx: Tx, s: { amount: number; currency: string; actor: Actor; at: number }) {
  const limits = { ...readRefundLimits(tx), [s.currency]: s.amount };
  return putSetting(tx, { key: "agent_refund_limit", value: { limits }, actor: s.actor, at: s.at });
}

export function setAlertThresholds(tx: Tx, s: { thresholds: AlertThresholds; actor: Actor; at: number }) {
  return putSetting(tx, { key: "alert_thresholds", value: s.thresholds, actor: s.actor, at: s.at });
}

/** Outbox delivery: failures before a message is dead-lettered, and how long delivered rows are kept. The worker reads it on every failure and prune. */
export function setDeliverySettings(tx: Tx, s: { settings: DeliverySettings; actor: Actor; at: number }) {
  return putSetting(tx, { key: "outbox_delivery", value: s.settings, actor: s.actor, at: s.at });
}

/**
 * A location's shipment SLA: shipments created from now on get ship_by = created + SLA; existing
 * shipments keep theirs. Audited as a setting (entity_id the location id, key location_sla_hours).
 */
export function setLocationSla(tx: Tx, s: { locationId: number; hours: number; actor: Actor; at: number }): { changed: boolean } {
  const loc = prepared(tx, "SELECT id, code, sla_hours AS slaHours FROM locations WHERE id = ?").get(s.locationId) as { id: number; code: string; slaHours: number } | undefined;
  if (!loc) throw new DomainError("not_found", `Location ${s.locationId} does not exist.`);
  if (loc.slaHours === s.hours) return { changed: false };
  prepared(tx, "UPDATE locations SET sla_hours = ? WHERE id = ?").run(s.hours, s.locationId);
  appendAudit(tx, {
    entityType: "setting",
    entityId: loc.id,
    actor: s.actor,
    action: "location_sla_changed",
    reason: `location_sla_hours:${loc.code}`,
    data: { key: "location_sla_hours", location: loc.code, from: loc.slaHours, to: s.hours },
    at: s.at,
  });
  return { changed: true };
}
