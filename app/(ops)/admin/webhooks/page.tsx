import type { Metadata } from "next";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { webhookEndpointsOverview } from "../../../../db/queries/webhooks.ts";
import { envVariableFor } from "../../../../lib/intake/secrets.ts";
import { fingerprint } from "../../../../lib/intake/secrets-admin.ts";
import { SOURCE_LABELS } from "../../../../lib/intake/types.ts";
import { env } from "../../../../lib/env.ts";
import { Card } from "../../../../components/ui/card.tsx";
import { PageHeader } from "../../../../components/ui/table.tsx";
import { LocalTime } from "../../../../components/ui/local-time.tsx";
import { AdminTabs } from "../../../../components/admin/admin-tabs.tsx";
import { WebhookSecretForm } from "../../../../components/admin/webhook-forms.tsx";

export const metadata: Metadata = { title: "Admin · Webhook secrets" };
export const dynamic = "force-dynamic";

const PATHS = { stripe: "/api/webhooks/stripe", shopify: "/api/webhooks/shopify", warehouse: "/api/webhooks/warehouse" } as const;

export default async function WebhookSecretsPage() {
  const me = await requirePermission("admin:api_keys");
  const endpoints = webhookEndpointsOverview();
  const base = env().NEXTAUTH_URL;
  return (
    <div className="space-y-6">
      <PageHeader title="Admin">Signing secrets for incoming webhooks. A secret is shown once, when it is made; only its fingerprint is kept on screen and in the audit trail.</PageHeader>
      <AdminTabs current="webhooks" showUsers={can(me, "admin:users")} showSettings={can(me, "admin:settings")} showWebhooks />
      <div className="grid gap-6 lg:grid-cols-3">
        {endpoints.map((e) => {
          const fromEnv = !e.secret && !!env()[envVariableFor(e.source) as "STRIPE_WEBHOOK_SECRET"];
          return (
            <Card key={e.source} title={SOURCE_LABELS[e.source]} testId={`endpoint-${e.source}`}>
              <dl className="mb-4 space-y-1 text-sm">
                <div>
                  <dt className="inline text-slate-600">Endpoint: </dt>
                  <dd className="inline font-mono text-xs break-all">{`${base}${PATHS[e.source]}`}</dd>
                </div>
                <div data-testid="secret-state">
                  <dt className="inline text-slate-600">Secret: </dt>
                  <dd className="inline">
                    {e.secret ? (
                      <>
                        set, fingerprint <span className="font-mono">{fingerprint(e.secret)}</span>, {e.rotatedAt ? "rotated" : "created"} <LocalTime ms={e.rotatedAt ?? e.createdAt!} />
                      </>
                    ) : fromEnv ? (
                      <>from {envVariableFor(e.source)}</>
                    ) : (
                      <>none: every call is refused (401)</>
                    )}
                  </dd>
                </div>
                {e.previousValidUntil && e.previousValidUntil > Date.now() ? (
                  <div>
                    <dt className="inline text-slate-600">Previous secret: </dt>
                    <dd className="inline">
                      accepted until <LocalTime ms={e.previousValidUntil} />
                    </dd>
                  </div>
                ) : null}
              </dl>
              <WebhookSecretForm source={e.source} label={SOURCE_LABELS[e.source]} configured={!!e.secret} />
            </Card>
          );
        })}
      </div>
    </div>
  );
}
