-- The embedded order search index (lib/search/embedded). indexOrder() keeps it in step with the data
-- in the same transaction as the change; rebuildEmbeddedIndex() refills it in bulk. Status and
-- placement are not copied here: they are read live from orders, so status changes never touch it.

-- One FTS5 document per order (rowid = order id), only rowids stored (detail=none). Its tokens:
--   folded name and city words ("jose garcia madrid"), matched exactly, as prefixes, or through
--   search_term_variants for typos; and identifier keys, tagged so they never meet a word:
--   n_<order number digits reversed>  p_<phone digits reversed>  (exact, and "ends with" as a prefix query)
--   r_<email reversed>  t_<tracking reversed>  (a typo in the first half still leaves the second intact)
--   z_<postcode>
-- Emails and tracking numbers read forwards use the customers.email and shipments.tracking_number indexes.
CREATE VIRTUAL TABLE `search_fts` USING fts5(
	body,
	content = '',
	contentless_delete = 1,
	detail = none,
	tokenize = 'unicode61 remove_diacritics 2 tokenchars ''_.@+-'''
);
--> statement-breakpoint
-- The distinct name and city words, and their deletion variants (SymSpell), for typo lookups.
CREATE TABLE `search_terms` (
	`term` text PRIMARY KEY NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `search_term_variants` (
	`variant` text NOT NULL,
	`term` text NOT NULL,
	PRIMARY KEY (`variant`, `term`)
) WITHOUT ROWID;
