import type { Metadata } from "next";
import { Link } from "../../../../components/ui/link.tsx";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { database } from "../../../../db/index.ts";
import { listSubscriptions } from "../../../../db/queries/subscriptions.ts";
import { EVENT_TYPE_LABELS, OUTGOING_EVENT_TYPES } from "../../../../lib/webhooks/events.ts";
import { PageHeader, Table, Td, Th } from "../../../../components/ui/table.tsx";
import { LocalTime } from "../../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../../components/ui/empty-state.tsx";
import { AdminTabs } from "../../../../components/admin/admin-tabs.tsx";
import { CreateSubscriptionForm } from "../../../../components/admin/subscription-forms.tsx";

export const metadata: Metadata = { title: "Admin · Outgoing webhooks" };
export const dynamic = "force-dynamic";

export default async function SubscriptionsPage() {
  const me = await requirePermission("admin:api_keys");
  const subscriptions = listSubscriptions(database());
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">
        Subscribers that hear what changes here, signed per the Standard Webhooks spec. A signing secret is shown once, when it is made or rotated. Every change is audited.
      </PageHeader>
      <AdminTabs current="subscriptions" showUsers={can(me, "admin:users")} showSettings={can(me, "admin:settings")} showWebhooks />
      <CreateSubscriptionForm options={OUTGOING_EVENT_TYPES.map((value) => ({ value, label: EVENT_TYPE_LABELS[value] }))} />
      {subscriptions.length === 0 ? (
        <EmptyState title="No subscribers yet">Add one for each system that needs to hear about orders, shipments, backorders or refunds.</EmptyState>
      ) : (
        <Table caption="Subscribers" testId="subscriptions-table" head={<><Th>URL</Th><Th>Event types</Th><Th>State</Th><Th>Last attempt</Th><Th>Created</Th></>}>
          {subscriptions.map((s) => (
            <tr key={s.id} data-testid="subscription-row" data-id={s.id}>
              <Td mono>
                <Link className="break-all text-indigo-700 hover:underline" href={`/admin/subscriptions/${s.id}`}>
                  {s.url}
                </Link>
              </Td>
              <Td mono>{s.eventTypes.join(" ")}</Td>
              <Td>
                <span data-testid="subscription-state">{s.enabled ? "Enabled" : `Disabled${s.disabledReason ? `: ${s.disabledReason}` : ""}`}</span>
              </Td>
              <Td>
                {s.lastAttemptAt ? (
                  <>
                    {s.lastOk ? "Delivered" : "Failed"} ({s.lastStatusCode ?? "no answer"}), <LocalTime ms={s.lastAttemptAt} />
                  </>
                ) : (
                  "none yet"
                )}
              </Td>
              <Td>
                <LocalTime ms={s.createdAt} />
                {s.createdByName ? ` by ${s.createdByName}` : ""}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
