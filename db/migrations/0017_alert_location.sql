ALTER TABLE `alerts` ADD `location_id` integer REFERENCES locations(id);--> statement-breakpoint
CREATE INDEX `alerts_live_location_since_idx` ON `alerts` (`location_id`,`since`,`id`) WHERE "alerts"."status" <> 'resolved';--> statement-breakpoint
-- Hand-written: a shipment alert's location is its subject's shipment's (a shipment never changes location;
-- a move carries the alert to another shipment by changing its subject).
CREATE TRIGGER `alerts_location_on_insert` AFTER INSERT ON `alerts` WHEN NEW.`subject` LIKE 'shipment:%'
BEGIN
  UPDATE `alerts` SET `location_id` = (SELECT `location_id` FROM `shipments` WHERE `id` = CAST(substr(NEW.`subject`, 10) AS INTEGER)) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `alerts_location_on_subject` AFTER UPDATE OF `subject` ON `alerts` WHEN NEW.`subject` IS NOT OLD.`subject`
BEGIN
  UPDATE `alerts` SET `location_id` = CASE WHEN NEW.`subject` LIKE 'shipment:%' THEN (SELECT `location_id` FROM `shipments` WHERE `id` = CAST(substr(NEW.`subject`, 10) AS INTEGER)) END WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
UPDATE `alerts` SET `location_id` = (SELECT `location_id` FROM `shipments` WHERE `id` = CAST(substr(`subject`, 10) AS INTEGER)) WHERE `subject` LIKE 'shipment:%';
