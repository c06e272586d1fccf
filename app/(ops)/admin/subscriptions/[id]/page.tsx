import type { Metadata } from "next";
import { Link } from "../../../../../components/ui/link.tsx";
import { notFound } from "next/navigation";
import { requirePermission } from "../../../../../lib/auth/guard.ts";
import { can } from "../../../../../lib/auth/permissions.ts";
import { database } from "../../../../../db/index.ts";
import { listDeliveryAttempts, subscriptionSummary } from "../../../../../db/queries/subscriptions.ts";
import { EVENT_TYPE_LABELS, OUTGOING_EVENT_TYPES, type OutgoingEventType } from "../../../../../lib/webhooks/events.ts";
import { Card } from "../../../../../components/ui/card.tsx";
import { PageHeader, Table, Td, Th } from "../../../../../components/ui/table.tsx";
import { LocalTime } from "../../../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../../../components/ui/empty-state.tsx";
import { AdminTabs } from "../../../../../components/admin/admin-tabs.tsx";
import { EnableButton, EventTypesForm, RotateSecretButton, SendTestButton } from "../../../../../components/admin/subscription-forms.tsx";

export const metadata: Metadata = { title: "Admin · Outgoing webhook" };
export const dynamic = "force-dynamic";

export default async function SubscriptionPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requirePermission("admin:api_keys");
  const { id: raw } = await params;
  const id = /^\d{1,12}$/.test(raw) ? Number(raw) : null;
  const s = id ? subscriptionSummary(database(), id) : undefined;
  if (!s) notFound();
  const attempts = listDeliveryAttempts(database(), s.id);
  const overlap = s.previousValidUntil && s.previousValidUntil > Date.now() ? s.previousValidUntil : null;
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">
        <Link href="/admin/subscriptions" className="text-indigo-700 underline">
          Outgoing webhooks
        </Link>{" "}
        › <span className="font-mono break-all">{s.url}</span>
      </PageHeader>
      <AdminTabs current="subscriptions" showUsers={can(me, "admin:users")} showSettings={can(me, "admin:settings")} showWebhooks />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Subscription" testId="subscription-details">
          <dl className="mb-4 space-y-1 text-sm">
            <div>
              <dt className="inline text-slate-600">URL: </dt>
              <dd className="inline font-mono text-xs break-all">{s.url}</dd>
            </div>
            <div>
              <dt className="inline text-slate-600">State: </dt>
              <dd className="inline" data-testid="subscription-state">
                {s.enabled ? "Enabled" : `Disabled${s.disabledReason ? `: ${s.disabledReason}` : ""}`}
              </dd>
            </div>
            <div>
              <dt className="inline text-slate-600">Signing: </dt>
              <dd className="inline">{overlap ? <>two secrets until <LocalTime ms={overlap} /> (rotation overlap)</> : "one secret"}</dd>
            </div>
          </dl>
          <div className="flex flex-wrap items-center gap-3">
            <SendTestButton subscriptionId={s.id} enabled={s.enabled} />
            <RotateSecretButton subscriptionId={s.id} />
            <EnableButton subscriptionId={s.id} enabled={s.enabled} />
          </div>
        </Card>
        <Card title="Event types">
          <EventTypesForm
            subscriptionId={s.id}
            options={OUTGOING_EVENT_TYPES.map((value) => ({ value, label: EVENT_TYPE_LABELS[value] }))}
            current={s.eventTypes.filter((t): t is OutgoingEventType => (OUTGOING_EVENT_TYPES as readonly string[]).includes(t))}
          />
        </Card>
      </div>
      {attempts.length === 0 ? (
        <EmptyState title="No deliveries yet">Attempts appear here as the worker sends events, newest first. Send a test event to try the receiver.</EmptyState>
      ) : (
        <Table caption="Delivery log, newest first" testId="delivery-log" head={<><Th>Time</Th><Th>Event</Th><Th>webhook-id</Th><Th right>Attempt</Th><Th>Status</Th><Th right>Latency</Th><Th>Error</Th></>}>
          {attempts.map((a) => (
            <tr key={a.id} data-testid="delivery-row" data-ok={a.ok} data-event={a.eventType}>
              <Td>
                <LocalTime ms={a.createdAt} />
              </Td>
              <Td mono>{a.eventType}</Td>
              <Td mono>{a.messageId}</Td>
              <Td right>{a.attempt}</Td>
              <Td>
                <span data-testid="delivery-status">{a.statusCode ?? "no answer"}</span> {a.ok ? "delivered" : "failed"}
              </Td>
              <Td right>{a.latencyMs.toLocaleString("en")} ms</Td>
              <Td freeText>{a.error ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
