import { COMMON_PASSWORDS } from "./common-passwords.ts";

const PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MAX_LENGTH = 200;

const common = new Set(COMMON_PASSWORDS);
/** Digits, punctuation and spaces people add around a common word to pass a length rule. */
const PADDING = /^[\d\W_]+|[\d\W_]+$/gu;

/**
 * Why this password may not be set for the account with this email, or null when it may. The one
 * rule for every new password (user creation, password change); sign-in only checks the hash.
 */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (password.trim() === "") return "A password cannot be only spaces.";
  const folded = password.normalize("NFKC").toLowerCase();
  const address = email.trim().toLowerCase();
  const localPart = address.slice(0, Math.max(0, address.indexOf("@")));
  if (folded.includes(address) || (localPart.length >= 3 && folded.includes(localPart))) {
    return "The password must not contain the email address or the part before the @.";
  }
  if (common.has(folded) || common.has(folded.trim()) || common.has(folded.replace(PADDING, ""))) {
    return "This is one of the most common passwords; choose another.";
  }
  return null;
}
