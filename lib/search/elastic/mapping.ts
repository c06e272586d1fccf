// The orders index: one document per order, analysed so typos, accents, prefixes, SKU parts and
// endings (phone, order number, tracking, email) match. Words arrive pre-split by lib/search/normalize.ts (the embedded index's own tokens),
// so both backends agree on what a word is; Elasticsearch does the matching and ranking.

const compactChars = { type: "pattern_replace", pattern: "[^\\p{L}\\p{N}]", replacement: "" };
const digitsOnly = { type: "pattern_replace", pattern: "[^0-9]", replacement: "" };
/** A phone's leading zeros carry no information once the country code is gone ("0049…", "0171…"). */
const leadingZeros = { type: "pattern_replace", pattern: "^0+", replacement: "" };

export const INDEX_SETTINGS = {
  number_of_shards: 1, // small index; one shard also keeps scores identical whatever the routing
  auto_expand_replicas: "0-1",
  refresh_interval: "500ms", // explicit: no idle-shard refresh skipping; a change is searchable within ~0.5 s
  max_ngram_diff: 64,
  analysis: {
    char_filter: { compact_chars: compactChars, digits_only: digitsOnly, leading_zeros: leadingZeros },
    filter: {
      prefixes: { type: "edge_ngram", min_gram: 1, max_gram: 24 },
      code_prefixes: { type: "edge_ngram", min_gram: 2, max_gram: 32 },
      infixes: { type: "ngram", min_gram: 2, max_gram: 16 },
      phone_endings: { type: "edge_ngram", min_gram: 4, max_gram: 20 },
      email_endings: { type: "edge_ngram", min_gram: 3, max_gram: 64 },
    },
    normalizer: {
      /** Identifiers compare without case, accents, spaces or punctuation: "sy-100 042" is "sy100042". */
      code: { type: "custom", char_filter: ["compact_chars"], filter: ["lowercase", "asciifolding"] },
      digits: { type: "custom", char_filter: ["digits_only"] },
      phone: { type: "custom", char_filter: ["digits_only", "leading_zeros"] },
      folded: { type: "custom", filter: ["lowercase", "asciifolding"] },
    },
    analyzer: {
      /** Display text, ASCII-folded words (kept for ad-hoc queries; matching uses the token fields). */
      words: { type: "custom", tokenizer: "standard", filter: ["lowercase", "asciifolding"] },
      /** A word's prefixes: "wireless" -> w, wi, wir… (unfinished last words, initials). */
      word_prefixes: { type: "custom", tokenizer: "keyword", filter: ["lowercase", "asciifolding", "prefixes"] },
      word: { type: "custom", tokenizer: "keyword", filter: ["lowercase", "asciifolding"] },
      /** An identifier's prefixes, punctuation ignored: "SY-100042" -> sy, sy1, sy10… */
      code_prefixes: { type: "custom", char_filter: ["compact_chars"], tokenizer: "keyword", filter: ["lowercase", "asciifolding", "code_prefixes"] },
      /** Its endings: the reversed identifier's prefixes ("…0042" is a prefix of "2400…"). */
      code_endings: { type: "custom", char_filter: ["compact_chars"], tokenizer: "keyword", filter: ["lowercase", "asciifolding", "reverse", "code_prefixes"] },
      code_reversed: { type: "custom", char_filter: ["compact_chars"], tokenizer: "keyword", filter: ["lowercase", "asciifolding", "reverse"] },
      /** Any part of a short identifier (SKUs): "BLU-M-0042" matches "M0042". */
      code_infixes: { type: "custom", char_filter: ["compact_chars"], tokenizer: "keyword", filter: ["lowercase", "asciifolding", "infixes"] },
      code: { type: "custom", char_filter: ["compact_chars"], tokenizer: "keyword", filter: ["lowercase", "asciifolding"] },
      /** An e-mail's endings: "garcia@example.com" finds "josegarcia@example.com". */
      email_endings: { type: "custom", tokenizer: "keyword", filter: ["lowercase", "asciifolding", "reverse", "email_endings"] },
      email_reversed: { type: "custom", tokenizer: "keyword", filter: ["lowercase", "asciifolding", "reverse"] },
      /** Reversed phone digits and their prefixes, so "ends with 8812" is a prefix match on "2188". */
      phone_endings: { type: "custom", char_filter: ["digits_only", "leading_zeros"], tokenizer: "keyword", filter: ["reverse", "phone_endings"] },
      /** The query's digits as parsed (lib/search/query.ts keeps the zero of an ending like "08171"). */
      phone_reversed: { type: "custom", char_filter: ["digits_only"], tokenizer: "keyword", filter: ["reverse"] },
    },
  },
} as const;

/** Folded words (exact and fuzzy term queries) with their prefixes beside them. */
const tokens = () => ({
  type: "keyword",
  normalizer: "folded",
  fields: { prefix: { type: "text", analyzer: "word_prefixes", search_analyzer: "word", index_options: "docs", norms: false } },
});
const code = (fields: Record<string, unknown> = {}) => ({ type: "keyword", normalizer: "code", fields });
const sub = (analyzer: string, search_analyzer: string) => ({ type: "text", analyzer, search_analyzer, index_options: "docs", norms: false });
const display = { type: "text", analyzer: "words" };

/**
 * Bumped whenever INDEX_SETTINGS or INDEX_MAPPINGS change: an index built with another version is
 * rebuilt by the search consumer (lib/search/elastic/health.ts), so a deployment never needs a manual reindex.
 */
export const MAPPING_VERSION = 2;

export const INDEX_MAPPINGS = {
  dynamic: "strict",
  _meta: { switchyard: { mapping: MAPPING_VERSION } },
  properties: {
    orderId: { type: "long" },
    /** Matched by its digits, whole or as an ending ("SY-100042" is found by "100042" and "0042"). */
    number: code({ digits: { type: "keyword", normalizer: "digits" }, ending: sub("code_endings", "code_reversed") }),
    status: { type: "keyword" },
    /** The customer's name and, when different, the ship-to name. */
    names: display,
    /** Name and city words together, as the embedded index keeps them: "Madrid Garcia" is one match. */
    words: tokens(),
    /** Whole (exact, or with typos), by its start (prefix query), or by its end. */
    email: { type: "keyword", normalizer: "folded", fields: { ending: sub("email_endings", "email_reversed") } },
    phone: { type: "keyword", normalizer: "phone", fields: { ending: sub("phone_endings", "phone_reversed") } },
    city: display,
    postcode: code({ prefix: sub("code_prefixes", "code") }),
    country: { type: "keyword" },
    skus: code({ part: sub("code_infixes", "code") }),
    products: display,
    /** Each product's words on their own, so every word of a query must match the same product. */
    lines: { type: "nested", properties: { sku: { type: "keyword" }, tokens: tokens() } },
    tracking: code({ prefix: sub("code_prefixes", "code"), ending: sub("code_endings", "code_reversed") }),
    placedAt: { type: "date", format: "epoch_millis" },
    /** The outbox position the document was read at (its external version): the index's high-water mark is the maximum. */
    syncVersion: { type: "long" },
  },
} as const;
