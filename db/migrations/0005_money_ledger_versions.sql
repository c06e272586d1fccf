CREATE TABLE `refund_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`refund_id` integer NOT NULL,
	`order_id` integer NOT NULL,
	`order_line_id` integer,
	`qty` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`refund_id`) REFERENCES `refunds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "refund_items_nonneg" CHECK("refund_items"."qty" >= 0 AND "refund_items"."amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX `refund_items_refund_idx` ON `refund_items` (`refund_id`);--> statement-breakpoint
CREATE INDEX `refund_items_order_idx` ON `refund_items` (`order_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `session_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `kind` text DEFAULT 'amount' NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `customer_message` text;--> statement-breakpoint
-- Every change to an order writes an audit row in its transaction, so the row bumps the order's version:
-- a screen opened before any change carries an older version and its action is refused as a conflict.
CREATE TRIGGER `orders_version_on_audit` AFTER INSERT ON `audit_events`
WHEN NEW.`order_id` IS NOT NULL
BEGIN
  UPDATE `orders` SET `version` = `version` + 1 WHERE `id` = NEW.`order_id`;
END;
--> statement-breakpoint
-- Refunds recorded before the ledger: those with lines covered those units (valued at their price).
UPDATE `refunds` SET `kind` = CASE WHEN `reason` LIKE 'Order cancelled%' OR `reason` LIKE 'Cancelled %' THEN 'cancellation' ELSE 'units' END WHERE `lines` IS NOT NULL;
--> statement-breakpoint
INSERT INTO `refund_items` (`refund_id`, `order_id`, `order_line_id`, `qty`, `amount`)
SELECT r.`id`, r.`order_id`, json_extract(j.`value`, '$.orderLineId'), json_extract(j.`value`, '$.qty'), json_extract(j.`value`, '$.qty') * l.`unit_price`
FROM `refunds` r, json_each(r.`lines`) j JOIN `order_lines` l ON l.`id` = json_extract(j.`value`, '$.orderLineId')
WHERE r.`lines` IS NOT NULL;
