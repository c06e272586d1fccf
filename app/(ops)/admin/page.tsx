import type { Metadata } from "next";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { listSettings, listUsers } from "../../../db/queries/overview.ts";
import { ROLE_LABELS } from "../../../lib/auth/permissions.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePermission("admin:users");
  const users = listUsers();
  const settings = listSettings();
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">Users and settings. Passwords are never shown.</PageHeader>
      <section className="space-y-2" aria-labelledby="users">
        <h2 id="users" className="text-sm font-semibold text-slate-700">Users</h2>
        <Table caption="Users" testId="users-table" head={<><Th>Name</Th><Th>Email</Th><Th>Role</Th><Th>State</Th></>}>
          {users.map((u) => (
            <tr key={u.id}>
              <Td>{u.name}</Td>
              <Td>{u.email}</Td>
              <Td>{ROLE_LABELS[u.role]}</Td>
              <Td>{u.disabled ? "Disabled" : "Active"}</Td>
            </tr>
          ))}
        </Table>
      </section>
      <section className="space-y-2" aria-labelledby="settings">
        <h2 id="settings" className="text-sm font-semibold text-slate-700">Settings</h2>
        <Table caption="Settings" testId="settings-table" head={<><Th>Key</Th><Th>Value</Th><Th>Updated</Th></>}>
          {settings.map((s) => (
            <tr key={s.key}>
              <Td mono>{s.key}</Td>
              <Td mono>{JSON.stringify(s.value)}</Td>
              <Td><LocalTime ms={s.updatedAt} /></Td>
            </tr>
          ))}
        </Table>
      </section>
    </div>
  );
}
