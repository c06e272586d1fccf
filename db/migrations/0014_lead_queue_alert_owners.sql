ALTER TABLE `users` ADD `default_location_id` integer;--> statement-breakpoint
ALTER TABLE `alerts` ADD `owner_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `alerts` ADD `assigned_at` integer;--> statement-breakpoint
CREATE INDEX `alerts_order_idx` ON `alerts` (`order_id`,`status`);--> statement-breakpoint
ALTER TABLE `shipments` ADD `promised_ship_by` integer;--> statement-breakpoint
CREATE INDEX `shipments_location_status_idx` ON `shipments` (`location_id`,`status`,`ship_by`);--> statement-breakpoint
CREATE INDEX `shipments_promised_idx` ON `shipments` (`status`,`promised_ship_by`) WHERE "shipments"."promised_ship_by" IS NOT NULL;--> statement-breakpoint
UPDATE `alerts` SET `owner_id` = `acknowledged_by`, `assigned_at` = `acknowledged_at` WHERE `acknowledged_by` IS NOT NULL;
