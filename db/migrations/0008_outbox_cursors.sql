CREATE TABLE `outbox_cursors` (
	`consumer` text PRIMARY KEY NOT NULL,
	`last_id` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_at` integer,
	`failing_since` integer,
	`failing_to` integer,
	`last_error` text,
	`delivered_at` integer,
	`state` text,
	`updated_at` integer NOT NULL
);
