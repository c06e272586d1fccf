CREATE TABLE `alert_counts` (
	`rule` text NOT NULL,
	`status` text NOT NULL,
	`alerts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`rule`, `status`)
);
--> statement-breakpoint
CREATE INDEX `alerts_live_since_idx` ON `alerts` (`since`,`id`) WHERE "alerts"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX `alerts_live_rule_since_idx` ON `alerts` (`rule`,`since`,`id`) WHERE "alerts"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX `alerts_status_since_idx` ON `alerts` (`status`,`since`,`id`);--> statement-breakpoint
-- Live alerts per rule and status, kept by triggers in the raising/acknowledging/resolving transaction.
CREATE TRIGGER `alert_counts_on_insert` AFTER INSERT ON `alerts`
WHEN NEW.`status` <> 'resolved'
BEGIN
  INSERT INTO `alert_counts` (`rule`, `status`, `alerts`) VALUES (NEW.`rule`, NEW.`status`, 1)
  ON CONFLICT (`rule`, `status`) DO UPDATE SET `alerts` = `alerts` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `alert_counts_on_update_old` AFTER UPDATE OF `status`, `rule` ON `alerts`
WHEN OLD.`status` <> 'resolved' AND (OLD.`status` IS NOT NEW.`status` OR OLD.`rule` IS NOT NEW.`rule`)
BEGIN
  UPDATE `alert_counts` SET `alerts` = `alerts` - 1 WHERE `rule` = OLD.`rule` AND `status` = OLD.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `alert_counts_on_update_new` AFTER UPDATE OF `status`, `rule` ON `alerts`
WHEN NEW.`status` <> 'resolved' AND (OLD.`status` IS NOT NEW.`status` OR OLD.`rule` IS NOT NEW.`rule`)
BEGIN
  INSERT INTO `alert_counts` (`rule`, `status`, `alerts`) VALUES (NEW.`rule`, NEW.`status`, 1)
  ON CONFLICT (`rule`, `status`) DO UPDATE SET `alerts` = `alerts` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `alert_counts_on_delete` AFTER DELETE ON `alerts`
WHEN OLD.`status` <> 'resolved'
BEGIN
  UPDATE `alert_counts` SET `alerts` = `alerts` - 1 WHERE `rule` = OLD.`rule` AND `status` = OLD.`status`;
END;
--> statement-breakpoint
INSERT INTO `alert_counts` (`rule`, `status`, `alerts`) SELECT `rule`, `status`, count(*) FROM `alerts` WHERE `status` <> 'resolved' GROUP BY 1, 2;
