import type { Metadata } from "next";
import { Link } from "../../../../components/ui/link.tsx";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { countWebhookOutcomes, listWebhookEvents } from "../../../../db/queries/webhooks.ts";
import { WEBHOOK_OUTCOMES, INTAKE_SOURCES, type WebhookOutcome, type IntakeSource } from "../../../../db/schema/index.ts";
import { refusalCounts } from "../../../../lib/intake/refusals.ts";
import { SOURCE_LABELS } from "../../../../lib/intake/types.ts";
import { PageHeader, Table, Td, Th } from "../../../../components/ui/table.tsx";
import { LocalTime } from "../../../../components/ui/local-time.tsx";
import { AdminTabs } from "../../../../components/admin/admin-tabs.tsx";
import { ReplayButton } from "../../../../components/admin/webhook-forms.tsx";
import { OutcomeBadge } from "../../../../components/intake/outcome-badge.tsx";
import { RawPayload } from "../../../../components/intake/raw-payload.tsx";
import { EmptyState } from "../../../../components/ui/empty-state.tsx";

export const metadata: Metadata = { title: "Admin · Incoming events" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ outcome?: string; source?: string }> };

export default async function IncomingEventsPage({ searchParams }: Props) {
  const me = await requirePermission("admin:api_keys");
  const q = await searchParams;
  const outcome = WEBHOOK_OUTCOMES.includes(q.outcome as WebhookOutcome) ? (q.outcome as WebhookOutcome) : undefined;
  const source = INTAKE_SOURCES.includes(q.source as IntakeSource) ? (q.source as IntakeSource) : undefined;
  const events = listWebhookEvents({ outcome, source });
  const counts = countWebhookOutcomes();
  const refused = refusalCounts();
  const filter = (o: WebhookOutcome | undefined) => `/admin/events${o || source ? `?${new URLSearchParams({ ...(o ? { outcome: o } : {}), ...(source ? { source } : {}) })}` : ""}`;
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">Incoming events, newest first: what each came to and why. Parked and rejected events can be replayed from their stored raw payload.</PageHeader>
      <AdminTabs current="events" showUsers={can(me, "admin:users")} showSettings={can(me, "admin:settings")} showWebhooks />
      <nav aria-label="Filter by outcome" className="flex flex-wrap gap-2 text-sm">
        <Link href={filter(undefined)} aria-current={!outcome ? "page" : undefined} className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${!outcome ? "bg-slate-800 text-white" : "text-slate-700"}`}>
          All
        </Link>
        {(["applied", "parked", "rejected", "ignored"] as const).map((o) => (
          <Link key={o} href={filter(o)} aria-current={outcome === o ? "page" : undefined} className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${outcome === o ? "bg-slate-800 text-white" : "text-slate-700"}`}>
            {o} ({counts[o] ?? 0})
          </Link>
        ))}
      </nav>
      {refused.length ? (
        <p data-testid="refused-counts" className="text-sm text-slate-700">
          Refused before storing (counted by this server process since it started): {refused.map((r) => `${SOURCE_LABELS[r.source]} ${r.reason} × ${r.count}`).join("; ")}.
        </p>
      ) : null}
      {events.length === 0 ? (
        <EmptyState title="No incoming events yet" />
      ) : (
        <Table caption="Incoming events" testId="events-table" head={<><Th>Received</Th><Th>Source and type</Th><Th>Order</Th><Th>Outcome</Th><Th>Raw payload</Th><Th>Action</Th></>}>
          {events.map((e) => (
            <tr key={e.id} data-testid="event-row" data-event-id={e.eventId} data-outcome={e.outcome ?? "received"} className="align-top">
              <Td>
                <LocalTime ms={e.receivedAt} withSeconds />
              </Td>
              <Td>
                <span className="font-medium">{SOURCE_LABELS[e.source]}</span> {e.type}
                <div className="font-mono text-xs break-all text-slate-600">{e.eventId}</div>
              </Td>
              <Td>{e.orderNumber ? <Link href={`/orders/${e.orderNumber}`} className="font-mono text-indigo-700 hover:underline">{e.orderNumber}</Link> : "—"}</Td>
              <Td>
                <OutcomeBadge outcome={e.outcome} />
                {e.error || e.reason ? <p data-testid="event-reason" className="mt-1 max-w-xs text-xs text-slate-700">{e.error ?? e.reason}</p> : null}
                <p className="text-xs text-slate-600">
                  {e.attempts} attempt{e.attempts === 1 ? "" : "s"}
                  {e.duplicates ? `, ${e.duplicates} duplicate${e.duplicates === 1 ? "" : "s"}` : ""}
                </p>
              </Td>
              <Td>
                <RawPayload payload={e.payload} label="Show JSON" />
              </Td>
              <Td>{e.outcome === "parked" || e.outcome === "rejected" ? <ReplayButton eventId={e.id} /> : null}</Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
