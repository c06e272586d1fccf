ALTER TABLE `staff_invites` ADD `email_status` text;--> statement-breakpoint
ALTER TABLE `staff_invites` ADD `email_error` text;--> statement-breakpoint
ALTER TABLE `staff_invites` ADD `email_at` integer;--> statement-breakpoint
ALTER TABLE `staff_invites` ADD `link_sealed` text;