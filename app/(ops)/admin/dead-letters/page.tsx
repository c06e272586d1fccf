import type { Metadata } from "next";
import { Link } from "../../../../components/ui/link.tsx";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { database } from "../../../../db/index.ts";
import { listDeadLetters } from "../../../../db/queries/dead-letters.ts";
import { DEAD_LETTER_STATUSES, type DeadLetterStatus } from "../../../../db/schema/delivery.ts";
import { deliveryMetrics } from "../../../../lib/worker/delivery-metrics.ts";
import { readDeliverySettings } from "../../../../lib/worker/delivery-settings.ts";
import { PageHeader, Table, Td, Th } from "../../../../components/ui/table.tsx";
import { Age } from "../../../../components/ui/age.tsx";
import { LocalTime } from "../../../../components/ui/local-time.tsx";
import { EmptyState } from "../../../../components/ui/empty-state.tsx";
import { AdminTabs } from "../../../../components/admin/admin-tabs.tsx";
import { RawPayload } from "../../../../components/intake/raw-payload.tsx";
import { DeadLetterDecision, DeadLetterOutcome } from "../../../../components/admin/dead-letter-forms.tsx";

export const metadata: Metadata = { title: "Admin · Dead letters" };
export const dynamic = "force-dynamic";

const PAGE = 200;
const STATUS_LABELS: Record<DeadLetterStatus, string> = { dead: "Dead", retrying: "Retrying", redelivered: "Redelivered", discarded: "Discarded" };

type Props = { searchParams: Promise<{ consumer?: string; status?: string }> };

export default async function DeadLettersPage({ searchParams }: Props) {
  const me = await requirePermission("admin:settings");
  const q = await searchParams;
  const db = database();
  const consumers = deliveryMetrics(db);
  // The named consumer, else the first with letters still dead, else the first one.
  const current = consumers.find((c) => c.consumer === q.consumer) ?? consumers.find((c) => c.deadLetters.dead > 0) ?? consumers[0];
  const status = q.status === "all" ? undefined : DEAD_LETTER_STATUSES.includes(q.status as DeadLetterStatus) ? (q.status as DeadLetterStatus) : "dead";
  const letters = current ? listDeadLetters(db, { consumer: current.consumer, status, limit: PAGE + 1 }) : [];
  const now = Date.now();
  const href = (consumer: string, s: string | undefined) => `/admin/dead-letters?${new URLSearchParams({ consumer, ...(s ? { status: s } : { status: "all" }) })}`;
  const chip = (active: boolean) => `rounded-full px-3 py-1 text-sm ring-1 ring-slate-300 ${active ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100"}`;
  const total = (c: (typeof consumers)[number]) => Object.values(c.deadLetters).reduce((a, b) => a + b, 0);
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">
        Dead letters: messages a consumer kept failing on while its target answered (now after {readDeliverySettings(db).maxAttempts} attempts, set under Settings), put
        aside so the rest kept flowing. Retry delivers one again with its original message id; discard gives up on it. Both are audited.
      </PageHeader>
      <AdminTabs current="dead-letters" showUsers={can(me, "admin:users")} showSettings showWebhooks={can(me, "admin:api_keys")} />
      {!current ? (
        <EmptyState title="No outbox consumer has run yet">The worker lists each consumer here once it delivers.</EmptyState>
      ) : (
        <DeadLetterOutcome>
          <nav aria-label="Consumer" data-testid="dead-letter-consumers" className="flex flex-wrap gap-2">
            {consumers.map((c) => (
              <Link key={c.consumer} href={href(c.consumer, "dead")} aria-current={c.consumer === current.consumer ? "page" : undefined} className={`${chip(c.consumer === current.consumer)} font-mono`}>
                {c.consumer} ({c.deadLetters.dead} dead)
              </Link>
            ))}
          </nav>
          <nav aria-label="Filter by status" className="flex flex-wrap gap-2">
            {DEAD_LETTER_STATUSES.map((s) => (
              <Link key={s} href={href(current.consumer, s)} aria-current={status === s ? "page" : undefined} className={chip(status === s)}>
                {STATUS_LABELS[s]} ({current.deadLetters[s]})
              </Link>
            ))}
            <Link href={href(current.consumer, undefined)} aria-current={!status ? "page" : undefined} className={chip(!status)}>
              All ({total(current)})
            </Link>
          </nav>
          {current.deadLetters.dead > 0 ? (
            <div data-testid="dead-letter-bulk" className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm">
              <span>
                <strong className="font-mono">{current.consumer}</strong>: {current.deadLetters.dead} dead letter{current.deadLetters.dead === 1 ? "" : "s"}.
              </span>
              <DeadLetterDecision consumer={current.consumer} ids="all" kind="retry" what={`all dead letters of ${current.consumer}`} />
              <DeadLetterDecision consumer={current.consumer} ids="all" kind="discard" what={`all dead letters of ${current.consumer}`} />
            </div>
          ) : null}
          {current.deadLetters.retrying > 0 ? (
            <p className="text-sm text-slate-700">
              {current.deadLetters.retrying} waiting for the worker to deliver them again (at its next pass for {current.consumer}; a consumer the worker does not run keeps them
              waiting).
            </p>
          ) : null}
          {letters.length === 0 ? (
            <EmptyState title={`No ${status ? STATUS_LABELS[status].toLowerCase() : ""} dead letters for ${current.consumer}`}>Every message it was given went through.</EmptyState>
          ) : (
            <Table
              caption={`Dead letters of ${current.consumer}`}
              testId="dead-letters-table"
              head={<><Th>Message</Th><Th>Order</Th><Th>Age</Th><Th>Attempts</Th><Th>Last error</Th><Th>Status</Th><Th>Payload</Th><Th>Action</Th></>}
            >
              {letters.slice(0, PAGE).map((d) => (
                <tr key={d.id} data-testid="dead-letter-row" data-dead-letter-id={d.id} data-status={d.status} className="align-top">
                  <Td>
                    <span className="font-medium">{d.topic}</span>
                    <div className="font-mono text-xs text-slate-600">message {d.outboxId}</div>
                  </Td>
                  <Td>{d.orderNumber ? <Link href={`/orders/${d.orderNumber}`} className="font-mono text-indigo-700 hover:underline">{d.orderNumber}</Link> : "—"}</Td>
                  <Td>
                    <span className="whitespace-nowrap">
                      <Age from={d.messageAt} now={now} />
                    </span>
                  </Td>
                  <Td right>{d.attempts}</Td>
                  <Td freeText>
                    <span data-testid="dead-letter-error" className="text-xs">{d.lastError ?? "—"}</span>
                  </Td>
                  <Td>
                    {STATUS_LABELS[d.status]}
                    {d.status !== "dead" ? (
                      <span className="block text-xs text-slate-600">
                        {d.resolvedBy ? `by ${d.resolvedBy}, ` : ""}
                        <LocalTime ms={d.updatedAt} />
                      </span>
                    ) : null}
                  </Td>
                  <Td>
                    <RawPayload payload={d.payload} label="Show JSON" />
                  </Td>
                  <Td>
                    {d.status === "dead" ? (
                      <div className="flex flex-wrap gap-2">
                        <DeadLetterDecision consumer={d.consumer} ids={[d.id]} kind="retry" what={`message ${d.outboxId} (${d.topic})`} />
                        <DeadLetterDecision consumer={d.consumer} ids={[d.id]} kind="discard" what={`message ${d.outboxId} (${d.topic})`} />
                      </div>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </Table>
          )}
          {letters.length > PAGE ? <p className="text-sm text-slate-700">Showing the oldest {PAGE}; retry or discard them to see the rest.</p> : null}
        </DeadLetterOutcome>
      )}
    </div>
  );
}
