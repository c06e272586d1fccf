import type { Metadata } from "next";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { PageHeader } from "../../../../components/ui/table.tsx";
import { RoutingPreview } from "../../../../components/routing/routing-preview.tsx";

export const metadata: Metadata = { title: "Routing preview" };

export default async function RoutingPreviewPage() {
  await requirePermission("orders:read");
  return (
    <div className="space-y-4">
      <PageHeader title="Routing preview">
        What routing would do with a cart right now — sources, shipments and ship dates — without reserving anything. Checkouts call the same
        endpoint, <code className="rounded bg-slate-100 px-1 text-slate-800">POST /api/routing/preview</code>, to warn about a split before payment.
      </PageHeader>
      <RoutingPreview />
    </div>
  );
}
