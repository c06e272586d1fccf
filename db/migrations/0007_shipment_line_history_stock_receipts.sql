CREATE TABLE `stock_receipts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_id` integer NOT NULL,
	`reference` text NOT NULL,
	`product_id` integer NOT NULL,
	`sku` text NOT NULL,
	`qty` integer NOT NULL,
	`actor_id` integer,
	`actor_label` text NOT NULL,
	`override` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stock_receipts_qty" CHECK("stock_receipts"."qty" > 0)
);
--> statement-breakpoint
CREATE INDEX `stock_receipts_reference_idx` ON `stock_receipts` (`location_id`,`reference`,`product_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_shipment_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shipment_id` integer NOT NULL,
	`order_line_id` integer NOT NULL,
	`qty` integer NOT NULL,
	`qty_moved` integer DEFAULT 0 NOT NULL,
	`qty_backordered` integer DEFAULT 0 NOT NULL,
	`qty_cancelled` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "shipment_lines_qty" CHECK("__new_shipment_lines"."qty" >= 0 AND "__new_shipment_lines"."qty_moved" >= 0 AND "__new_shipment_lines"."qty_backordered" >= 0 AND "__new_shipment_lines"."qty_cancelled" >= 0 AND "__new_shipment_lines"."qty" + "__new_shipment_lines"."qty_moved" + "__new_shipment_lines"."qty_backordered" + "__new_shipment_lines"."qty_cancelled" > 0)
);
--> statement-breakpoint
INSERT INTO `__new_shipment_lines`("id", "shipment_id", "order_line_id", "qty") SELECT "id", "shipment_id", "order_line_id", "qty" FROM `shipment_lines`;--> statement-breakpoint
DROP TABLE `shipment_lines`;--> statement-breakpoint
ALTER TABLE `__new_shipment_lines` RENAME TO `shipment_lines`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `shipment_lines_shipment_idx` ON `shipment_lines` (`shipment_id`);--> statement-breakpoint
CREATE INDEX `shipment_lines_line_idx` ON `shipment_lines` (`order_line_id`);--> statement-breakpoint
-- Receipts booked before this table existed (their audit rows) count as booked, so a repeat of one is refused too.
INSERT INTO `stock_receipts` (`location_id`, `reference`, `product_id`, `sku`, `qty`, `actor_id`, `actor_label`, `override`, `created_at`)
SELECT json_extract(a.`data`, '$.locationId'), upper(trim(a.`reason`)), a.`entity_id`, json_extract(a.`data`, '$.sku'), json_extract(a.`data`, '$.qty'), a.`actor_id`, a.`actor_label`, 0, a.`created_at`
FROM `audit_events` a
WHERE a.`action` = 'stock_received' AND a.`entity_type` = 'inventory' AND trim(coalesce(a.`reason`, '')) <> ''
  AND json_extract(a.`data`, '$.qty') > 0
ORDER BY a.`id`;
