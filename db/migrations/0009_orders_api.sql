ALTER TABLE `api_keys` ADD `revoked_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `rate_limit_per_minute` integer DEFAULT 600 NOT NULL;--> statement-breakpoint
ALTER TABLE `idempotency_keys` ADD `response_headers` text;--> statement-breakpoint
ALTER TABLE `idempotency_keys` ADD `claim_token` text;--> statement-breakpoint
ALTER TABLE `idempotency_keys` ADD `locked_until` integer;--> statement-breakpoint
ALTER TABLE `idempotency_keys` ADD `completed_at` integer;--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE INDEX `orders_updated_idx` ON `orders` (`updated_at`);--> statement-breakpoint
-- Every change to an order writes an audit row in its transaction, so the row bumps the order's version (stale
-- screens) and moves its updated_at (the orders API's `updated_after` then sees notes, refunds and shipment
-- changes, not only status changes): one trigger, one UPDATE per audit row.
DROP TRIGGER IF EXISTS `orders_version_on_audit`;
--> statement-breakpoint
CREATE TRIGGER `orders_on_audit` AFTER INSERT ON `audit_events`
WHEN NEW.`order_id` IS NOT NULL
BEGIN
  UPDATE `orders` SET `version` = `version` + 1, `updated_at` = max(`updated_at`, NEW.`created_at`) WHERE `id` = NEW.`order_id`;
END;
