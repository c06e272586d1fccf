import "server-only";
import { asc, desc, eq, sql } from "drizzle-orm";
import { database } from "../index.ts";
import { alerts, orders, refunds, settings, users } from "../schema/index.ts";

export function recentRefunds({ limit = 50 }: { limit?: number } = {}) {
  const db = database();
  const rows = db
    .select({
      id: refunds.id,
      orderNumber: orders.number,
      amount: refunds.amount,
      currency: refunds.currency,
      status: refunds.status,
      reason: refunds.reason,
      createdAt: refunds.createdAt,
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .orderBy(desc(refunds.createdAt), desc(refunds.id))
    .limit(limit)
    .all();
  const totals = db
    .select({ currency: refunds.currency, status: refunds.status, amount: sql<number>`sum(${refunds.amount})`, n: sql<number>`count(*)` })
    .from(refunds)
    .groupBy(refunds.currency, refunds.status)
    .all();
  return { rows, totals };
}

export function liveAlerts() {
  return database()
    .select({ id: alerts.id, rule: alerts.rule, status: alerts.status, since: alerts.since, orderNumber: orders.number })
    .from(alerts)
    .leftJoin(orders, eq(orders.id, alerts.orderId))
    .where(sql`${alerts.status} <> 'resolved'`)
    .orderBy(asc(alerts.since))
    .all();
}

export function listUsers() {
  return database()
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, disabled: users.disabled })
    .from(users)
    .orderBy(asc(users.id))
    .all();
}

export function listSettings() {
  return database().select({ key: settings.key, value: settings.value, updatedAt: settings.updatedAt }).from(settings).orderBy(asc(settings.key)).all();
}
