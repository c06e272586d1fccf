import { z } from "zod";

/** Control characters, text-direction marks, overrides and isolates: they let a name render as another one. */
const HIDDEN_IN_NAMES = /[\p{Cc}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** A person's display name as an admin types it: trimmed, 2–100 characters, nothing that hides or reorders text. */
export const personName = z
  .string()
  .trim()
  .min(2, "Enter a name of at least 2 characters.")
  .max(100, "A name has at most 100 characters.")
  .refine((name) => !HIDDEN_IN_NAMES.test(name), "A name cannot hold control characters or text-direction marks.");
