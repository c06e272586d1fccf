"use client";
import { Link } from "../../../../components/ui/link.tsx";
import { useState, type FormEvent } from "react";
import { acceptInviteAction } from "./accept.ts";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500";

/** The invited person chooses their password (twice); on success they go on to sign in with it. */
export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const res = await acceptInviteAction({ token, password: String(form.get("password") ?? ""), confirm: String(form.get("confirm") ?? "") });
    setBusy(false);
    if (res.ok) setDone(true);
    else setError({ message: res.message, field: res.field });
  }
  if (done) {
    return (
      <div role="status" data-testid="invite-accepted" className="space-y-3 rounded-lg border border-emerald-200 bg-emerald-50 p-6 text-sm text-emerald-950">
        <p className="font-medium">Your account {email} is ready.</p>
        <Link href="/login" className="inline-block rounded-md bg-indigo-600 px-3 py-2 font-semibold text-white hover:bg-indigo-700">
          Sign in
        </Link>
      </div>
    );
  }
  const invalid = (field: string) => (error?.field === field ? { "aria-invalid": true as const, "aria-describedby": "invite-error" } : {});
  return (
    <form onSubmit={onSubmit} data-testid="accept-invite-form" className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          Choose a password
        </label>
        <input id="password" name="password" type="password" autoComplete="new-password" required minLength={12} className={input} {...invalid("password")} />
        <p className="mt-1 text-xs text-slate-600">At least 12 characters; not your email and not a common password.</p>
      </div>
      <div>
        <label htmlFor="confirm" className="block text-sm font-medium text-slate-700">
          Type it again
        </label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required className={input} {...invalid("confirm")} />
      </div>
      {error ? (
        <p id="invite-error" role="alert" className="text-sm text-rose-700">
          {error.message}
        </p>
      ) : null}
      <button type="submit" disabled={busy} className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
        {busy ? "Setting your password…" : "Set password and create my account"}
      </button>
    </form>
  );
}
