import type { Metadata } from "next";
import { Link } from "../../../../components/ui/link.tsx";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { database } from "../../../../db/index.ts";
import { listApiKeys } from "../../../../db/queries/api-keys.ts";
import { API_SCOPES, SCOPE_LABELS } from "../../../../lib/api/scopes.ts";
import { PageHeader, Table, Td, Th } from "../../../../components/ui/table.tsx";
import { LocalTime } from "../../../../components/ui/local-time.tsx";
import { AdminTabs } from "../../../../components/admin/admin-tabs.tsx";
import { CreateApiKeyForm, RevokeApiKeyButton } from "../../../../components/admin/api-key-forms.tsx";
import { EmptyState } from "../../../../components/ui/empty-state.tsx";

export const metadata: Metadata = { title: "Admin · API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  const me = await requirePermission("admin:api_keys");
  const keys = listApiKeys(database());
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">
        API keys for the orders API (<Link href="/api/docs" className="text-indigo-700 underline">reference</Link>). A key is shown once, when it is made; only a hash and its first characters are kept. Creating and revoking are audited.
      </PageHeader>
      <AdminTabs current="api-keys" showUsers={can(me, "admin:users")} showSettings={can(me, "admin:settings")} showWebhooks />
      <CreateApiKeyForm scopes={API_SCOPES.map((value) => ({ value, label: SCOPE_LABELS[value] }))} />
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">Create one for each checkout or tool that calls the orders API.</EmptyState>
      ) : (
        <Table caption="API keys" testId="api-keys-table" head={<><Th>Name</Th><Th>Key</Th><Th>Scopes</Th><Th right>Per minute</Th><Th>Created</Th><Th>Last used</Th><Th>State</Th></>}>
          {keys.map((k) => (
            <tr key={k.id} data-testid="api-key-row" data-name={k.name}>
              <Td>{k.name}</Td>
              <Td mono>{k.prefix}…</Td>
              <Td mono>{k.scopes.join(" ")}</Td>
              <Td right>{k.rateLimitPerMinute.toLocaleString("en")}</Td>
              <Td>
                <LocalTime ms={k.createdAt} />
                {k.createdByName ? ` by ${k.createdByName}` : ""}
              </Td>
              <Td>{k.lastUsedAt ? <LocalTime ms={k.lastUsedAt} /> : "never"}</Td>
              <Td>
                {k.revokedAt ? (
                  <span data-testid="api-key-state">
                    Revoked <LocalTime ms={k.revokedAt} />
                    {k.revokedByName ? ` by ${k.revokedByName}` : ""}
                  </span>
                ) : (
                  <span className="flex items-center gap-2" data-testid="api-key-state">
                    Active <RevokeApiKeyButton id={k.id} name={k.name} />
                  </span>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
