import type { Metadata } from "next";
import { requirePermission } from "../../../lib/auth/guard.ts";
import { can, ROLE_LABELS } from "../../../lib/auth/permissions.ts";
import { ROLES } from "../../../db/schema/auth.ts";
import { listUsers } from "../../../db/queries/overview.ts";
import { Table, Td, Th, PageHeader } from "../../../components/ui/table.tsx";
import { AdminTabs } from "../../../components/admin/admin-tabs.tsx";
import { CreateUserForm, DisableToggle, InviteUserForm, PasswordReset, RevokeInviteButton, RoleSelect } from "../../../components/admin/user-forms.tsx";
import { LocalTime } from "../../../components/ui/local-time.tsx";
import { recentInvites } from "../../../db/queries/invites.ts";
import { database } from "../../../db/index.ts";
import { inviteState } from "../../../lib/admin/invites.ts";

export const metadata: Metadata = { title: "Admin · Users" };

export default async function AdminUsersPage() {
  const me = await requirePermission("admin:users");
  const users = listUsers();
  const invites = recentInvites(database());
  const now = Date.now();
  const roles = ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">Users and roles. Invite colleagues by email: they set their own password. Passwords are stored as scrypt hashes and never shown. Every change is audited.</PageHeader>
      <AdminTabs current="users" showUsers showSettings={can(me, "admin:settings")} showWebhooks={can(me, "admin:api_keys")} />
      <InviteUserForm roles={roles} />
      {invites.length ? (
        <Table caption="Invites, newest first" testId="invites-table" head={<><Th>Invited</Th><Th>Role</Th><Th>By</Th><Th>State</Th><Th>Action</Th></>}>
          {invites.map((i) => {
            const state = inviteState(i, now);
            return (
              <tr key={i.id} data-testid="invite-row" data-email={i.email} data-state={state}>
                <Td freeText>
                  {i.name} &lt;{i.email}&gt;
                </Td>
                <Td>{ROLE_LABELS[i.role]}</Td>
                <Td>{i.createdBy ?? "—"}</Td>
                <Td>
                  {state === "open" ? (
                    <>
                      Open until <LocalTime ms={i.expiresAt} />
                    </>
                  ) : state === "accepted" ? (
                    "Accepted"
                  ) : state === "revoked" ? (
                    "Revoked"
                  ) : (
                    "Expired"
                  )}
                </Td>
                <Td>{state === "open" ? <RevokeInviteButton inviteId={i.id} email={i.email} /> : null}</Td>
              </tr>
            );
          })}
        </Table>
      ) : null}
      <CreateUserForm roles={roles} />
      <Table caption="Users" testId="users-table" head={<><Th>Name</Th><Th>Email</Th><Th>Role</Th><Th>State</Th><Th>Sign-in</Th></>}>
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row" data-email={u.email}>
            <Td freeText>{u.name}</Td>
            <Td freeText>{u.email}</Td>
            <Td>
              <RoleSelect userId={u.id} name={u.name} role={u.role} roles={roles} self={u.id === me.id} />
            </Td>
            <Td>{u.disabled ? "Disabled" : "Active"}</Td>
            <Td>
              <div className="space-y-2">
                <DisableToggle userId={u.id} name={u.name} disabled={u.disabled} self={u.id === me.id} />
                <PasswordReset userId={u.id} name={u.name} />
              </div>
            </Td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
