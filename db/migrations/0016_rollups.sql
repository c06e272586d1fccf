CREATE TABLE `alert_counts` (
	`rule` text NOT NULL,
	`status` text NOT NULL,
	`alerts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`rule`, `status`)
);
--> statement-breakpoint
CREATE TABLE `order_milestones` (
	`order_id` integer PRIMARY KEY NOT NULL,
	`paid_at` integer,
	`shipped_at` integer
);
--> statement-breakpoint
CREATE INDEX `order_milestones_shipped_idx` ON `order_milestones` (`shipped_at`);--> statement-breakpoint
CREATE TABLE `order_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `orders_placed_hourly` (
	`hour` integer PRIMARY KEY NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `paid_to_shipped_hourly` (
	`hour` integer NOT NULL,
	`tenth_hours` integer NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `tenth_hours`)
);
--> statement-breakpoint
CREATE TABLE `refund_hourly` (
	`hour` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`refunds` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `currency`, `status`)
);
--> statement-breakpoint
CREATE TABLE `routing_hourly` (
	`hour` integer NOT NULL,
	`outcome` text NOT NULL,
	`decisions` integer DEFAULT 0 NOT NULL,
	`split` integer DEFAULT 0 NOT NULL,
	`backordered` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `outcome`)
);
--> statement-breakpoint
CREATE INDEX `alerts_live_since_idx` ON `alerts` (`since`,`id`) WHERE "alerts"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX `alerts_live_rule_since_idx` ON `alerts` (`rule`,`since`,`id`) WHERE "alerts"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX `alerts_status_since_idx` ON `alerts` (`status`,`since`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_requested_by_idx` ON `refunds` (`requested_by`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_decided_by_idx` ON `refunds` (`decided_by`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `refunds_currency_created_idx` ON `refunds` (`currency`,`created_at`,`id`);--> statement-breakpoint
-- Rollups kept by triggers, so every write (actions, intake, worker, API, seed) updates them in its own
-- transaction and no screen aggregates a whole table per request. Hour = the event's UTC hour, epoch ms / 3,600,000 (integer division), so
-- any range of whole hours, hence any day in a zone with a whole-hour offset, is a sum of rows.
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
-- Orders placed per hour (the metrics page's orders placed, per range and per day).
CREATE TRIGGER `orders_placed_hourly_on_insert` AFTER INSERT ON `orders`
BEGIN
  INSERT INTO `orders_placed_hourly` (`hour`, `orders`) VALUES (NEW.`placed_at` / 3600000, 1)
  ON CONFLICT (`hour`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_placed_hourly_on_update` AFTER UPDATE OF `placed_at` ON `orders`
WHEN OLD.`placed_at` IS NOT NEW.`placed_at`
BEGIN
  UPDATE `orders_placed_hourly` SET `orders` = `orders` - 1 WHERE `hour` = OLD.`placed_at` / 3600000;
  INSERT INTO `orders_placed_hourly` (`hour`, `orders`) VALUES (NEW.`placed_at` / 3600000, 1)
  ON CONFLICT (`hour`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_placed_hourly_on_delete` AFTER DELETE ON `orders`
BEGIN
  UPDATE `orders_placed_hourly` SET `orders` = `orders` - 1 WHERE `hour` = OLD.`placed_at` / 3600000;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_hourly_on_insert` AFTER INSERT ON `routing_decisions`
BEGIN
  INSERT INTO `routing_hourly` (`hour`, `outcome`, `decisions`, `split`, `backordered`)
  VALUES (NEW.`created_at` / 3600000, NEW.`outcome`, 1, NEW.`split`, NEW.`backordered`)
  ON CONFLICT (`hour`, `outcome`) DO UPDATE SET `decisions` = `decisions` + 1, `split` = `split` + excluded.`split`, `backordered` = `backordered` + excluded.`backordered`;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_hourly_on_delete` AFTER DELETE ON `routing_decisions`
BEGIN
  UPDATE `routing_hourly` SET `decisions` = `decisions` - 1, `split` = `split` - OLD.`split`, `backordered` = `backordered` - OLD.`backordered`
  WHERE `hour` = OLD.`created_at` / 3600000 AND `outcome` = OLD.`outcome`;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_hourly_on_update` AFTER UPDATE OF `outcome`, `split`, `backordered`, `created_at` ON `routing_decisions`
BEGIN
  UPDATE `routing_hourly` SET `decisions` = `decisions` - 1, `split` = `split` - OLD.`split`, `backordered` = `backordered` - OLD.`backordered`
  WHERE `hour` = OLD.`created_at` / 3600000 AND `outcome` = OLD.`outcome`;
  INSERT INTO `routing_hourly` (`hour`, `outcome`, `decisions`, `split`, `backordered`)
  VALUES (NEW.`created_at` / 3600000, NEW.`outcome`, 1, NEW.`split`, NEW.`backordered`)
  ON CONFLICT (`hour`, `outcome`) DO UPDATE SET `decisions` = `decisions` + 1, `split` = `split` + excluded.`split`, `backordered` = `backordered` + excluded.`backordered`;
END;
--> statement-breakpoint
-- Refunds per hour of creation, currency and status (the history's totals when filtered by no more than dates, status and currency).
CREATE TRIGGER `refund_hourly_on_insert` AFTER INSERT ON `refunds`
BEGIN
  INSERT INTO `refund_hourly` (`hour`, `currency`, `status`, `refunds`, `amount`) VALUES (NEW.`created_at` / 3600000, NEW.`currency`, NEW.`status`, 1, NEW.`amount`)
  ON CONFLICT (`hour`, `currency`, `status`) DO UPDATE SET `refunds` = `refunds` + 1, `amount` = `amount` + excluded.`amount`;
END;
--> statement-breakpoint
CREATE TRIGGER `refund_hourly_on_update` AFTER UPDATE OF `status`, `amount`, `currency`, `created_at` ON `refunds`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`amount` IS NOT NEW.`amount` OR OLD.`currency` IS NOT NEW.`currency` OR OLD.`created_at` IS NOT NEW.`created_at`
BEGIN
  UPDATE `refund_hourly` SET `refunds` = `refunds` - 1, `amount` = `amount` - OLD.`amount` WHERE `hour` = OLD.`created_at` / 3600000 AND `currency` = OLD.`currency` AND `status` = OLD.`status`;
  INSERT INTO `refund_hourly` (`hour`, `currency`, `status`, `refunds`, `amount`) VALUES (NEW.`created_at` / 3600000, NEW.`currency`, NEW.`status`, 1, NEW.`amount`)
  ON CONFLICT (`hour`, `currency`, `status`) DO UPDATE SET `refunds` = `refunds` + 1, `amount` = `amount` + excluded.`amount`;
END;
--> statement-breakpoint
CREATE TRIGGER `refund_hourly_on_delete` AFTER DELETE ON `refunds`
BEGIN
  UPDATE `refund_hourly` SET `refunds` = `refunds` - 1, `amount` = `amount` - OLD.`amount` WHERE `hour` = OLD.`created_at` / 3600000 AND `currency` = OLD.`currency` AND `status` = OLD.`status`;
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
-- Paid → shipped histogram per hour of the first shipment: an order counts once both milestones are known and shipped is not before paid.
CREATE TRIGGER `paid_to_shipped_on_insert` AFTER INSERT ON `order_milestones`
WHEN NEW.`shipped_at` >= NEW.`paid_at`
BEGIN
  INSERT INTO `paid_to_shipped_hourly` (`hour`, `tenth_hours`, `orders`)
  VALUES (NEW.`shipped_at` / 3600000, (NEW.`shipped_at` - NEW.`paid_at`) / 360000, 1)
  ON CONFLICT (`hour`, `tenth_hours`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `paid_to_shipped_on_update_old` AFTER UPDATE ON `order_milestones`
WHEN OLD.`shipped_at` >= OLD.`paid_at`
BEGIN
  UPDATE `paid_to_shipped_hourly` SET `orders` = `orders` - 1
  WHERE `hour` = OLD.`shipped_at` / 3600000 AND `tenth_hours` = (OLD.`shipped_at` - OLD.`paid_at`) / 360000;
END;
--> statement-breakpoint
CREATE TRIGGER `paid_to_shipped_on_update_new` AFTER UPDATE ON `order_milestones`
WHEN NEW.`shipped_at` >= NEW.`paid_at`
BEGIN
  INSERT INTO `paid_to_shipped_hourly` (`hour`, `tenth_hours`, `orders`)
  VALUES (NEW.`shipped_at` / 3600000, (NEW.`shipped_at` - NEW.`paid_at`) / 360000, 1)
  ON CONFLICT (`hour`, `tenth_hours`) DO UPDATE SET `orders` = `orders` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `paid_to_shipped_on_delete` AFTER DELETE ON `order_milestones`
WHEN OLD.`shipped_at` >= OLD.`paid_at`
BEGIN
  UPDATE `paid_to_shipped_hourly` SET `orders` = `orders` - 1
  WHERE `hour` = OLD.`shipped_at` / 3600000 AND `tenth_hours` = (OLD.`shipped_at` - OLD.`paid_at`) / 360000;
END;
--> statement-breakpoint
-- Backfill. The milestones go in through their triggers, which fill the histogram.
INSERT INTO `order_status_counts` (`status`, `orders`) SELECT `status`, count(*) FROM `orders` GROUP BY `status`;
--> statement-breakpoint
INSERT INTO `orders_placed_hourly` (`hour`, `orders`) SELECT `placed_at` / 3600000, count(*) FROM `orders` GROUP BY 1;
--> statement-breakpoint
INSERT INTO `routing_hourly` (`hour`, `outcome`, `decisions`, `split`, `backordered`)
SELECT `created_at` / 3600000, `outcome`, count(*), sum(`split`), sum(`backordered`) FROM `routing_decisions` GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `order_milestones` (`order_id`, `paid_at`, `shipped_at`)
SELECT `order_id`, min(`paid_at`), min(`shipped_at`) FROM (
  SELECT `order_id`, `created_at` AS `paid_at`, NULL AS `shipped_at` FROM `audit_events` WHERE `entity_type` = 'order' AND `to_status` = 'paid' AND `order_id` IS NOT NULL
  UNION ALL
  SELECT `order_id`, NULL, `shipped_at` FROM `shipments` WHERE `shipped_at` IS NOT NULL
) GROUP BY `order_id`;
--> statement-breakpoint
INSERT INTO `refund_hourly` (`hour`, `currency`, `status`, `refunds`, `amount`)
SELECT `created_at` / 3600000, `currency`, `status`, count(*), sum(`amount`) FROM `refunds` GROUP BY 1, 2, 3;
--> statement-breakpoint
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
