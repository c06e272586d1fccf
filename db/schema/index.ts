export * from "./auth.ts";
export * from "./catalog.ts";
export * from "./orders.ts";
export { auditEvents, outbox, outboxCursors, jobs, webhookEvents, webhookEndpoints, type AuditActor } from "./events.ts";
