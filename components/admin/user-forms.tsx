"use client";
import { useState, type FormEvent } from "react";
import { changeUserRoleAction, createUserAction, inviteUserAction, revokeInviteAction, setUserDisabledAction, setUserPasswordAction } from "../../app/(ops)/admin/actions.ts";
import type { Role } from "../../db/schema/auth.ts";
import { ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";
import { LocalTime } from "../ui/local-time.tsx";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-700";

type Invited = { email: string; role: Role; expiresAt: number; link: string };

/**
 * The usual way in: the admin names the person, email and role; the person sets their own password at
 * the link. The link is shown here once (it is also queued for staff email) and works for 72 hours.
 */
export function InviteUserForm({ roles }: { roles: { value: Role; label: string }[] }) {
  const [form, setForm] = useState({ email: "", name: "", role: "agent" as Role });
  const [invited, setInvited] = useState<Invited | null>(null);
  const { submit, pending, error } = useOrderAction(inviteUserAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setInvited(null);
    submit(form, (i) => {
      setInvited(i);
      setForm({ email: "", name: "", role: "agent" });
    });
  };
  return (
    <form onSubmit={onSubmit} data-testid="invite-user-form" aria-labelledby="invite-user" className="grid gap-3 rounded-lg border border-indigo-200 bg-white p-4 shadow-sm md:grid-cols-4">
      <h2 id="invite-user" className="col-span-full text-sm font-semibold text-slate-800">
        Invite a colleague
      </h2>
      <label className={label}>
        Name
        <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} className={input} autoComplete="off" />
      </label>
      <label className={label}>
        Email
        <input required type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} className={input} autoComplete="off" />
      </label>
      <label className={label}>
        Role
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} className={input}>
          {roles.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <div className="flex items-end">
        <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
          {pending ? "Inviting…" : "Send invite"}
        </button>
      </div>
      <div className="col-span-full">
        <ErrorNote message={error} />
        {invited ? (
          <div role="status" data-testid="invite-link" className="space-y-1 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-950">
            <p>
              {invited.email} is invited as {roles.find((r) => r.value === invited.role)?.label ?? invited.role}. The link works once, until{" "}
              <LocalTime ms={invited.expiresAt} />. It is shown only now: pass it on if no email reaches them.
            </p>
            <input readOnly aria-label="Invite link" value={invited.link} onFocus={(e) => e.currentTarget.select()} className="w-full rounded-md border border-emerald-300 bg-white px-2 py-1 font-mono text-xs" />
          </div>
        ) : null}
      </div>
    </form>
  );
}

export function RevokeInviteButton({ inviteId, email }: { inviteId: number; email: string }) {
  const { submit, pending, error } = useOrderAction(revokeInviteAction);
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={buttonClass} disabled={pending} onClick={() => submit({ inviteId }, () => undefined)} aria-label={`Revoke the invite for ${email}`}>
        Revoke
      </button>
      <ErrorNote message={error} />
    </span>
  );
}

export function CreateUserForm({ roles }: { roles: { value: Role; label: string }[] }) {
  const [form, setForm] = useState({ email: "", name: "", role: "agent" as Role, password: "" });
  const [created, setCreated] = useState<string | null>(null);
  const { submit, pending, error } = useOrderAction(createUserAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    submit(form, (u) => {
      setCreated(`${u.email} can now sign in as ${roles.find((r) => r.value === u.role)?.label ?? u.role}.`);
      setForm({ email: "", name: "", role: "agent", password: "" });
    });
  };
  return (
    <form onSubmit={onSubmit} data-testid="create-user-form" aria-labelledby="create-user" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-5">
      <h2 id="create-user" className="col-span-full text-sm font-semibold text-slate-800">
        Or create a user with a password you pass on (fallback when the person cannot open a link)
      </h2>
      <label className={label}>
        Name
        <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} className={input} autoComplete="off" />
      </label>
      <label className={label}>
        Email
        <input required type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} className={input} autoComplete="off" />
      </label>
      <label className={label}>
        Role
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} className={input}>
          {roles.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Password (12+ characters)
        <input required type="password" minLength={12} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} className={input} autoComplete="new-password" />
      </label>
      <div className="flex items-end">
        <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
          {pending ? "Creating…" : "Create user"}
        </button>
      </div>
      <div className="col-span-full">
        <ErrorNote message={error} />
        {created ? (
          <p role="status" className="text-sm text-emerald-800">
            {created} The password is stored only as a hash and is not shown again.
          </p>
        ) : null}
      </div>
    </form>
  );
}

export function RoleSelect({ userId, name, role, roles, self }: { userId: number; name: string; role: Role; roles: { value: Role; label: string }[]; self: boolean }) {
  const [value, setValue] = useState(role);
  const { submit, pending, error } = useOrderAction(changeUserRoleAction);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <select aria-label={`Role of ${name}`} value={value} disabled={self} onChange={(e) => setValue(e.target.value as Role)} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {roles.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
      {value !== role ? (
        <button type="button" className={buttonClass} disabled={pending} onClick={() => submit({ userId, role: value })}>
          Save role
        </button>
      ) : null}
      <ErrorNote message={error} />
    </div>
  );
}

export function DisableToggle({ userId, name, disabled, self }: { userId: number; name: string; disabled: boolean; self: boolean }) {
  const { submit, pending, error } = useOrderAction(setUserDisabledAction);
  if (self) return <span className="text-xs text-slate-600">you</span>;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className={buttonClass} disabled={pending} aria-label={`${disabled ? "Enable" : "Disable"} ${name}`} onClick={() => submit({ userId, disabled: !disabled })}>
        {disabled ? "Enable" : "Disable"}
      </button>
      <ErrorNote message={error} />
    </div>
  );
}

/** Sets a user's password; the field keeps what was typed when the password is refused. */
export function PasswordReset({ userId, name }: { userId: number; name: string }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const { submit, pending, error } = useOrderAction(setUserPasswordAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    submit({ userId, password }, () => {
      setPassword("");
      setDone(true);
    });
  };
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2" data-testid="password-reset">
      <input
        type="password"
        aria-label={`New password for ${name}`}
        placeholder="New password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="new-password"
        className="w-36 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      />
      <button type="submit" className={buttonClass} disabled={pending || password.length === 0} aria-label={`Set password for ${name}`}>
        Set password
      </button>
      <ErrorNote message={error} />
      {done ? (
        <span role="status" className="text-xs text-emerald-800">
          Password set; their sessions have ended.
        </span>
      ) : null}
    </form>
  );
}
