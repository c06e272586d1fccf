export * from "./auth.ts";
export * from "./catalog.ts";
export * from "./orders.ts";
export { auditEvents, outbox, jobs, webhookEvents, webhookEndpoints, type AuditActor } from "./events.ts";
