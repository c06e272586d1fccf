CREATE TABLE `outbox_dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consumer` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`topic` text NOT NULL,
	`aggregate_type` text NOT NULL,
	`aggregate_id` integer NOT NULL,
	`payload` text NOT NULL,
	`message_at` integer NOT NULL,
	`status` text DEFAULT 'dead' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`resolved_by` integer,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dead_letters_consumer_msg_uq` ON `outbox_dead_letters` (`consumer`,`outbox_id`);--> statement-breakpoint
CREATE INDEX `outbox_dead_letters_status_idx` ON `outbox_dead_letters` (`status`,`consumer`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscription_id` integer NOT NULL,
	`outbox_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`event_type` text NOT NULL,
	`attempt` integer NOT NULL,
	`status_code` integer,
	`ok` integer NOT NULL,
	`latency_ms` integer NOT NULL,
	`error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_sub_idx` ON `webhook_deliveries` (`subscription_id`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_msg_idx` ON `webhook_deliveries` (`subscription_id`,`outbox_id`);--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`event_types` text NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_valid_until` integer,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `notifications` ADD `delivery` text DEFAULT 'recorded' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `delivery_error` text;--> statement-breakpoint
ALTER TABLE `refunds` ADD `failure_reason` text;