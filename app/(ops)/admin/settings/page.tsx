import type { Metadata } from "next";
import { Link } from "../../../../components/ui/link.tsx";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { database } from "../../../../db/index.ts";
import { prepared } from "../../../../db/raw.ts";
import { loadThresholds } from "../../../../lib/alerts/evaluate.ts";
import { readRefundLimits } from "../../../../db/queries/ledger.ts";
import { Card } from "../../../../components/ui/card.tsx";
import { PageHeader, Table, Td, Th } from "../../../../components/ui/table.tsx";
import { AdminTabs } from "../../../../components/admin/admin-tabs.tsx";
import { DeliverySettingsForm, LocationSlaForm, RefundLimitForm, ThresholdsForm } from "../../../../components/admin/settings-forms.tsx";
import { DEFAULT_DELIVERY, readDeliverySettings } from "../../../../lib/worker/delivery-settings.ts";

export const metadata: Metadata = { title: "Admin · Settings" };
export const dynamic = "force-dynamic";

export default async function AdminSettingsPage() {
  const me = await requirePermission("admin:settings");
  const db = database();
  const thresholds = loadThresholds(db);
  const limits = readRefundLimits(db);
  const delivery = readDeliverySettings(db);
  const locations = prepared(db, "SELECT id, code, name, kind, sla_hours AS slaHours, active FROM locations ORDER BY priority, id").all() as {
    id: number;
    code: string;
    name: string;
    kind: string;
    slaHours: number;
    active: number;
  }[];
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">Settings. Every change is audited with its old and new value.</PageHeader>
      <AdminTabs current="settings" showUsers={can(me, "admin:users")} showSettings showWebhooks={can(me, "admin:api_keys")} />
      <Card title="Refunds">
        <p className="mb-3 text-sm text-slate-700">
          What agents may refund on one order without finance, per currency: once their refunds on an order would add up to more, the refund waits for
          finance to approve it. A currency without a limit always waits. Cancellation refunds are owed to the customer and never wait.
        </p>
        <RefundLimitForm limits={limits} />
      </Card>
      <Card title="Stuck-order alert thresholds">
        <p className="mb-3 text-sm text-slate-700">The worker checks every minute; a lower threshold raises alerts at the next check.</p>
        <ThresholdsForm thresholds={thresholds} />
      </Card>
      <Card title="Outgoing delivery">
        <p className="mb-3 text-sm text-slate-700">
          The worker delivers every outbox message to each consumer (payments, search index, subscriber webhooks). A failed batch is retried after a backoff
          that doubles from 0.5 s up to 1 minute (with jitter); each call is cut after its consumer&apos;s timeout (30 s unless the consumer sets its own). A
          message that keeps failing while its target answers is moved to the <Link className="text-indigo-700 underline" href="/admin/dead-letters">dead letters</Link> after
          this many attempts (default {DEFAULT_DELIVERY.maxAttempts}); a target that is down is waited out instead. Messages every consumer has passed are
          deleted after the retention period (default {DEFAULT_DELIVERY.retentionHours} h). Changes apply at the worker&apos;s next failure or prune.
        </p>
        <DeliverySettingsForm settings={delivery} />
      </Card>
      <Card title="Shipment SLA per location">
        <p className="mb-3 text-sm text-slate-700">
          A pending shipment is late once past its ship-by time: created + the location&apos;s SLA (dropship: the supplier&apos;s lead time). A change applies to shipments created afterwards.
        </p>
        <Table caption="Shipment SLA per location" testId="location-sla-table" head={<><Th>Location</Th><Th>Kind</Th><Th>SLA (hours)</Th></>}>
          {locations.map((l) => (
            <tr key={l.id} data-testid="location-sla-row">
              <Td>
                {l.name} <span className="font-mono text-xs text-slate-600">{l.code}</span>
                {l.active ? null : <span className="ml-1 text-xs text-slate-600">(inactive)</span>}
              </Td>
              <Td>{l.kind}</Td>
              <Td>
                <LocationSlaForm locationId={l.id} name={l.name} hours={l.slaHours} defaultHours={thresholds.shipment_sla_hours} />
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
