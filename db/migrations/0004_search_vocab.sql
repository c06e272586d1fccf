-- The distinct tokens of the embedded search index, one row per token (no data of its own: FTS5
-- reads them from search_fts). A range over its `term` column lists, for example, every distinct
-- email ending with a given text (reversed `r_` keys, 0003_search_index.sql), which the order-level
-- index cannot do without reading every order of every such customer.
CREATE VIRTUAL TABLE `search_fts_vocab` USING fts5vocab(search_fts, 'row');
