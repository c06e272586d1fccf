-- INSERT OR REPLACE (and upsert) on an existing id would delete and rewrite a row without firing the
-- DELETE trigger (recursive_triggers is off), so an insert may never reuse an existing id.
CREATE TRIGGER `audit_events_no_replace` BEFORE INSERT ON `audit_events`
WHEN EXISTS (SELECT 1 FROM `audit_events` WHERE `id` = NEW.`id`)
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only: replacing an existing row refused');
END;
