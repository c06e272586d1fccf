CREATE TABLE `table_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Hand-written: every change to refunds bumps its version in the same transaction.
INSERT INTO `table_versions` (`name`, `version`) VALUES ('refunds', 1);--> statement-breakpoint
CREATE TRIGGER `refunds_version_on_insert` AFTER INSERT ON `refunds`
BEGIN
  UPDATE `table_versions` SET `version` = `version` + 1 WHERE `name` = 'refunds';
END;--> statement-breakpoint
CREATE TRIGGER `refunds_version_on_update` AFTER UPDATE ON `refunds`
BEGIN
  UPDATE `table_versions` SET `version` = `version` + 1 WHERE `name` = 'refunds';
END;--> statement-breakpoint
CREATE TRIGGER `refunds_version_on_delete` AFTER DELETE ON `refunds`
BEGIN
  UPDATE `table_versions` SET `version` = `version` + 1 WHERE `name` = 'refunds';
END;
