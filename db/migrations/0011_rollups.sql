CREATE TABLE `order_milestones` (
	`order_id` integer PRIMARY KEY NOT NULL,
	`paid_at` integer,
	`shipped_at` integer
);
--> statement-breakpoint
CREATE TABLE `order_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `paid_to_shipped_daily` (
	`day` text NOT NULL,
	`tenth_hours` integer NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `tenth_hours`)
);
--> statement-breakpoint
CREATE TABLE `paid_to_shipped_totals` (
	`tenth_hours` integer PRIMARY KEY NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `refund_daily` (
	`day` text NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`refunds` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `currency`, `status`)
);
--> statement-breakpoint
CREATE TABLE `routing_daily` (
	`day` text NOT NULL,
	`outcome` text NOT NULL,
	`decisions` integer DEFAULT 0 NOT NULL,
	`split` integer DEFAULT 0 NOT NULL,
	`backordered` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `outcome`)
);
--> statement-breakpoint
CREATE INDEX `refunds_requested_by_idx` ON `refunds` (`requested_by`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_decided_by_idx` ON `refunds` (`decided_by`,`created_at`,`id`);--> statement-breakpoint
-- Rollups kept by triggers, so every write (actions, intake, worker, API, seed) updates them in its own
-- transaction and no screen aggregates a whole table per request. Day = UTC day of the event.
CREATE TRIGGER `order_status_counts_on_insert` AFTER INSERT ON `orders`
BEGIN
  INSERT INTO `order_status_counts` (`status`, `orders`) VALUES (NEW.`status`, 1)
  ON CONFLICT (`status`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `order_status_counts_on_status` AFTER UPDATE OF `status` ON `orders`
WHEN OLD.`status` IS NOT NEW.`status`
BEGIN
  UPDATE `order_status_counts` SET `orders` = `orders` - 1 WHERE `status` = OLD.`status`;
  INSERT INTO `order_status_counts` (`status`, `orders`) VALUES (NEW.`status`, 1)
  ON CONFLICT (`status`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `order_status_counts_on_delete` AFTER DELETE ON `orders`
BEGIN
  UPDATE `order_status_counts` SET `orders` = `orders` - 1 WHERE `status` = OLD.`status`;
  DELETE FROM `order_milestones` WHERE `order_id` = OLD.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_daily_on_insert` AFTER INSERT ON `routing_decisions`
BEGIN
  INSERT INTO `routing_daily` (`day`, `outcome`, `decisions`, `split`, `backordered`)
  VALUES (strftime('%Y-%m-%d', NEW.`created_at` / 1000, 'unixepoch'), NEW.`outcome`, 1, NEW.`split`, NEW.`backordered`)
  ON CONFLICT (`day`, `outcome`) DO UPDATE SET `decisions` = `decisions` + 1, `split` = `split` + excluded.`split`, `backordered` = `backordered` + excluded.`backordered`;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_daily_on_delete` AFTER DELETE ON `routing_decisions`
BEGIN
  UPDATE `routing_daily` SET `decisions` = `decisions` - 1, `split` = `split` - OLD.`split`, `backordered` = `backordered` - OLD.`backordered`
  WHERE `day` = strftime('%Y-%m-%d', OLD.`created_at` / 1000, 'unixepoch') AND `outcome` = OLD.`outcome`;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_daily_on_update` AFTER UPDATE OF `outcome`, `split`, `backordered`, `created_at` ON `routing_decisions`
BEGIN
  UPDATE `routing_daily` SET `decisions` = `decisions` - 1, `split` = `split` - OLD.`split`, `backordered` = `backordered` - OLD.`backordered`
  WHERE `day` = strftime('%Y-%m-%d', OLD.`created_at` / 1000, 'unixepoch') AND `outcome` = OLD.`outcome`;
  INSERT INTO `routing_daily` (`day`, `outcome`, `decisions`, `split`, `backordered`)
  VALUES (strftime('%Y-%m-%d', NEW.`created_at` / 1000, 'unixepoch'), NEW.`outcome`, 1, NEW.`split`, NEW.`backordered`)
  ON CONFLICT (`day`, `outcome`) DO UPDATE SET `decisions` = `decisions` + 1, `split` = `split` + excluded.`split`, `backordered` = `backordered` + excluded.`backordered`;
END;
--> statement-breakpoint
-- Refunds per day of creation, currency and status (the history's totals unless filtered by more than days and status).
CREATE TRIGGER `refund_daily_on_insert` AFTER INSERT ON `refunds`
BEGIN
  INSERT INTO `refund_daily` (`day`, `currency`, `status`, `refunds`, `amount`) VALUES (strftime('%Y-%m-%d', NEW.`created_at` / 1000, 'unixepoch'), NEW.`currency`, NEW.`status`, 1, NEW.`amount`)
  ON CONFLICT (`day`, `currency`, `status`) DO UPDATE SET `refunds` = `refunds` + 1, `amount` = `amount` + excluded.`amount`;
END;
--> statement-breakpoint
CREATE TRIGGER `refund_daily_on_update` AFTER UPDATE OF `status`, `amount`, `currency`, `created_at` ON `refunds`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`amount` IS NOT NEW.`amount` OR OLD.`currency` IS NOT NEW.`currency` OR OLD.`created_at` IS NOT NEW.`created_at`
BEGIN
  UPDATE `refund_daily` SET `refunds` = `refunds` - 1, `amount` = `amount` - OLD.`amount` WHERE `day` = strftime('%Y-%m-%d', OLD.`created_at` / 1000, 'unixepoch') AND `currency` = OLD.`currency` AND `status` = OLD.`status`;
  INSERT INTO `refund_daily` (`day`, `currency`, `status`, `refunds`, `amount`) VALUES (strftime('%Y-%m-%d', NEW.`created_at` / 1000, 'unixepoch'), NEW.`currency`, NEW.`status`, 1, NEW.`amount`)
  ON CONFLICT (`day`, `currency`, `status`) DO UPDATE SET `refunds` = `refunds` + 1, `amount` = `amount` + excluded.`amount`;
END;
--> statement-breakpoint
CREATE TRIGGER `refund_daily_on_delete` AFTER DELETE ON `refunds`
BEGIN
  UPDATE `refund_daily` SET `refunds` = `refunds` - 1, `amount` = `amount` - OLD.`amount` WHERE `day` = strftime('%Y-%m-%d', OLD.`created_at` / 1000, 'unixepoch') AND `currency` = OLD.`currency` AND `status` = OLD.`status`;
END;
--> statement-breakpoint
-- Paid: the first audit row into `paid` (audit rows are append-only, so the minimum only moves down).
CREATE TRIGGER `order_milestones_on_paid` AFTER INSERT ON `audit_events`
WHEN NEW.`entity_type` = 'order' AND NEW.`to_status` = 'paid' AND NEW.`order_id` IS NOT NULL
BEGIN
  INSERT INTO `order_milestones` (`order_id`, `paid_at`) VALUES (NEW.`order_id`, NEW.`created_at`)
  ON CONFLICT (`order_id`) DO UPDATE SET `paid_at` = excluded.`paid_at` WHERE `paid_at` IS NULL OR excluded.`paid_at` < `paid_at`;
END;
--> statement-breakpoint
-- Shipped: the order's earliest shipped_at, re-read from its few shipments whenever one changes.
CREATE TRIGGER `order_milestones_on_shipment_insert` AFTER INSERT ON `shipments`
WHEN NEW.`shipped_at` IS NOT NULL
BEGIN
  INSERT INTO `order_milestones` (`order_id`, `shipped_at`) VALUES (NEW.`order_id`, (SELECT min(`shipped_at`) FROM `shipments` WHERE `order_id` = NEW.`order_id`))
  ON CONFLICT (`order_id`) DO UPDATE SET `shipped_at` = excluded.`shipped_at` WHERE `shipped_at` IS NOT excluded.`shipped_at`;
END;
--> statement-breakpoint
CREATE TRIGGER `order_milestones_on_shipment_update` AFTER UPDATE OF `shipped_at`, `order_id` ON `shipments`
WHEN OLD.`shipped_at` IS NOT NEW.`shipped_at` OR OLD.`order_id` IS NOT NEW.`order_id`
BEGIN
  UPDATE `order_milestones` SET `shipped_at` = (SELECT min(`shipped_at`) FROM `shipments` WHERE `order_id` = OLD.`order_id`) WHERE `order_id` = OLD.`order_id`;
  INSERT INTO `order_milestones` (`order_id`, `shipped_at`) VALUES (NEW.`order_id`, (SELECT min(`shipped_at`) FROM `shipments` WHERE `order_id` = NEW.`order_id`))
  ON CONFLICT (`order_id`) DO UPDATE SET `shipped_at` = excluded.`shipped_at` WHERE `shipped_at` IS NOT excluded.`shipped_at`;
END;
--> statement-breakpoint
CREATE TRIGGER `order_milestones_on_shipment_delete` AFTER DELETE ON `shipments`
WHEN OLD.`shipped_at` IS NOT NULL
BEGIN
  UPDATE `order_milestones` SET `shipped_at` = (SELECT min(`shipped_at`) FROM `shipments` WHERE `order_id` = OLD.`order_id`) WHERE `order_id` = OLD.`order_id`;
END;
--> statement-breakpoint
-- Paid → shipped histograms (per day and over all time): an order counts once both milestones are known and shipped is not before paid.
CREATE TRIGGER `paid_to_shipped_on_insert` AFTER INSERT ON `order_milestones`
WHEN NEW.`shipped_at` >= NEW.`paid_at`
BEGIN
  INSERT INTO `paid_to_shipped_daily` (`day`, `tenth_hours`, `orders`)
  VALUES (strftime('%Y-%m-%d', NEW.`shipped_at` / 1000, 'unixepoch'), (NEW.`shipped_at` - NEW.`paid_at`) / 360000, 1)
  ON CONFLICT (`day`, `tenth_hours`) DO UPDATE SET `orders` = `orders` + 1;
  INSERT INTO `paid_to_shipped_totals` (`tenth_hours`, `orders`) VALUES ((NEW.`shipped_at` - NEW.`paid_at`) / 360000, 1)
  ON CONFLICT (`tenth_hours`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `paid_to_shipped_on_update_old` AFTER UPDATE ON `order_milestones`
WHEN OLD.`shipped_at` >= OLD.`paid_at`
BEGIN
  UPDATE `paid_to_shipped_daily` SET `orders` = `orders` - 1
  WHERE `day` = strftime('%Y-%m-%d', OLD.`shipped_at` / 1000, 'unixepoch') AND `tenth_hours` = (OLD.`shipped_at` - OLD.`paid_at`) / 360000;
  UPDATE `paid_to_shipped_totals` SET `orders` = `orders` - 1 WHERE `tenth_hours` = (OLD.`shipped_at` - OLD.`paid_at`) / 360000;
END;
--> statement-breakpoint
CREATE TRIGGER `paid_to_shipped_on_update_new` AFTER UPDATE ON `order_milestones`
WHEN NEW.`shipped_at` >= NEW.`paid_at`
BEGIN
  INSERT INTO `paid_to_shipped_daily` (`day`, `tenth_hours`, `orders`)
  VALUES (strftime('%Y-%m-%d', NEW.`shipped_at` / 1000, 'unixepoch'), (NEW.`shipped_at` - NEW.`paid_at`) / 360000, 1)
  ON CONFLICT (`day`, `tenth_hours`) DO UPDATE SET `orders` = `orders` + 1;
  INSERT INTO `paid_to_shipped_totals` (`tenth_hours`, `orders`) VALUES ((NEW.`shipped_at` - NEW.`paid_at`) / 360000, 1)
  ON CONFLICT (`tenth_hours`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `paid_to_shipped_on_delete` AFTER DELETE ON `order_milestones`
WHEN OLD.`shipped_at` >= OLD.`paid_at`
BEGIN
  UPDATE `paid_to_shipped_daily` SET `orders` = `orders` - 1
  WHERE `day` = strftime('%Y-%m-%d', OLD.`shipped_at` / 1000, 'unixepoch') AND `tenth_hours` = (OLD.`shipped_at` - OLD.`paid_at`) / 360000;
  UPDATE `paid_to_shipped_totals` SET `orders` = `orders` - 1 WHERE `tenth_hours` = (OLD.`shipped_at` - OLD.`paid_at`) / 360000;
END;
--> statement-breakpoint
-- Backfill. The milestones go in through their triggers, which fill the histogram.
INSERT INTO `order_status_counts` (`status`, `orders`) SELECT `status`, count(*) FROM `orders` GROUP BY `status`;
--> statement-breakpoint
INSERT INTO `routing_daily` (`day`, `outcome`, `decisions`, `split`, `backordered`)
SELECT strftime('%Y-%m-%d', `created_at` / 1000, 'unixepoch'), `outcome`, count(*), sum(`split`), sum(`backordered`) FROM `routing_decisions` GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `order_milestones` (`order_id`, `paid_at`, `shipped_at`)
SELECT `order_id`, min(`paid_at`), min(`shipped_at`) FROM (
  SELECT `order_id`, `created_at` AS `paid_at`, NULL AS `shipped_at` FROM `audit_events` WHERE `entity_type` = 'order' AND `to_status` = 'paid' AND `order_id` IS NOT NULL
  UNION ALL
  SELECT `order_id`, NULL, `shipped_at` FROM `shipments` WHERE `shipped_at` IS NOT NULL
) GROUP BY `order_id`;
--> statement-breakpoint
INSERT INTO `refund_daily` (`day`, `currency`, `status`, `refunds`, `amount`)
SELECT strftime('%Y-%m-%d', `created_at` / 1000, 'unixepoch'), `currency`, `status`, count(*), sum(`amount`) FROM `refunds` GROUP BY 1, 2, 3;
