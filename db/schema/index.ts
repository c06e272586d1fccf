export * from "./auth.ts";
export * from "./catalog.ts";
export * from "./orders.ts";
export { auditEvents, outbox, outboxCursors, jobs, webhookEvents, webhookEndpoints, WEBHOOK_SOURCES, INTAKE_SOURCES, WEBHOOK_OUTCOMES, type WebhookSource, type IntakeSource, type WebhookOutcome, type AuditActor } from "./events.ts";
export { outboxDeadLetters, webhookSubscriptions, webhookDeliveries, DEAD_LETTER_STATUSES, type DeadLetterStatus } from "./delivery.ts";
export { orderStatusCounts, ordersPlacedHourly, routingHourly, orderMilestones, paidToShippedHourly, refundHourly, alertCounts, tableVersions } from "./rollups.ts";
