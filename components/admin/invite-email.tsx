import type { InviteRow } from "../../db/queries/invites.ts";
import { LocalTime } from "../ui/local-time.tsx";

/** How the link of an open invite reached (or did not reach) the person, beside it in the list. */
export function InviteEmail({ invite: i }: { invite: InviteRow }) {
  const text =
    i.emailStatus === "sent" && i.emailAt !== null ? (
      <>
        Link emailed <LocalTime ms={i.emailAt} />
      </>
    ) : i.emailStatus === "failed" ? (
      `Email failed: ${i.emailError ?? "refused by the mail server"}. Revoke and invite again, or pass on the link yourself.`
    ) : i.emailStatus === "pending" ? (
      `Email queued${i.emailError ? ` (retrying: ${i.emailError})` : ""}`
    ) : (
      "No email configured — copy the link shown when you invited and pass it on"
    );
  return (
    <span data-testid="invite-email" data-email-status={i.emailStatus ?? "none"} className={`block text-xs ${i.emailStatus === "failed" ? "text-rose-700" : "text-slate-600"}`}>
      {text}
    </span>
  );
}
