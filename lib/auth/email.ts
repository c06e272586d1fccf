import { z } from "zod";

/** An email address as typed at sign-in or when an admin creates a user: trimmed, lower-cased, no spaces. */
export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email("Enter a valid email address."));
