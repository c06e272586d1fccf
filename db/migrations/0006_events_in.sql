ALTER TABLE `webhook_endpoints` ADD `previous_secret` text;--> statement-breakpoint
ALTER TABLE `webhook_endpoints` ADD `previous_valid_until` integer;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `waiting_for` text;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `order_version` integer;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `webhook_events` ADD `duplicates` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `webhook_events_received_idx` ON `webhook_events` (`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_events_waiting_idx` ON `webhook_events` (`waiting_for`) WHERE "webhook_events"."outcome" = 'parked';--> statement-breakpoint
CREATE INDEX `webhook_events_parked_idx` ON `webhook_events` (`order_id`) WHERE "webhook_events"."outcome" = 'parked';--> statement-breakpoint
ALTER TABLE `orders` ADD `payment_intent_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `external_ref` text;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_payment_intent_uq` ON `orders` (`payment_intent_id`) WHERE "orders"."payment_intent_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_external_ref_uq` ON `orders` (`external_ref`) WHERE "orders"."external_ref" IS NOT NULL;--> statement-breakpoint
-- The raw payload of an incoming event is evidence: once stored, what arrived (source, id, type, body, time) never changes.
CREATE TRIGGER `webhook_events_raw_immutable` BEFORE UPDATE OF `source`, `event_id`, `type`, `payload`, `received_at` ON `webhook_events`
BEGIN
  SELECT RAISE(ABORT, 'webhook_events: the raw event is immutable');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_events_no_delete` BEFORE DELETE ON `webhook_events`
BEGIN
  SELECT RAISE(ABORT, 'webhook_events: received events are kept');
END;
