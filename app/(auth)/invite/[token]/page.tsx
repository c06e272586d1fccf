import type { Metadata } from "next";
import { database } from "../../../../db/index.ts";
import { openInvite } from "../../../../lib/admin/invites.ts";
import { ROLE_LABELS } from "../../../../lib/auth/permissions.ts";
import { DomainError } from "../../../../lib/errors.ts";
import { AcceptInviteForm } from "./accept-form.tsx";

export const metadata: Metadata = { title: "Join Switchyard", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Where an invited person sets their password: public, the token in the path is the credential. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invite: { email: string; name: string; role: keyof typeof ROLE_LABELS } | null = null;
  let problem: string | null = null;
  try {
    invite = database().transaction((tx) => openInvite(tx, token.slice(0, 100), Date.now()));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problem = error.message;
  }
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-4">
        <div className="flex items-center gap-2">
          <span aria-hidden className="inline-block h-7 w-7 rounded bg-indigo-600" />
          <h1 className="text-xl font-semibold tracking-tight">Join Switchyard</h1>
        </div>
        {invite ? (
          <>
            <p className="text-sm text-slate-700">
              {invite.name}, you are invited as <strong>{ROLE_LABELS[invite.role]}</strong> with the email <strong>{invite.email}</strong>.
            </p>
            <AcceptInviteForm token={token} email={invite.email} />
          </>
        ) : (
          <p role="alert" data-testid="invite-problem" className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900">
            {problem}
          </p>
        )}
      </div>
    </main>
  );
}
