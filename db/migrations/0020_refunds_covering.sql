DROP INDEX `refunds_created_idx`;--> statement-breakpoint
DROP INDEX `refunds_currency_created_idx`;--> statement-breakpoint
CREATE INDEX `refunds_created_idx` ON `refunds` (`created_at`,`id`,`currency`,`status`,`amount`);--> statement-breakpoint
CREATE INDEX `refunds_currency_created_idx` ON `refunds` (`currency`,`created_at`,`id`,`status`,`amount`);