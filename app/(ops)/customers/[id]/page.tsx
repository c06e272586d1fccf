import type { Metadata } from "next";
import { Link } from "../../../../components/ui/link.tsx";
import { notFound } from "next/navigation";
import { requirePermission } from "../../../../lib/auth/guard.ts";
import { can } from "../../../../lib/auth/permissions.ts";
import { getCustomerHistory } from "../../../../db/queries/customers.ts";
import { customerView } from "../../../../lib/orders/customer-view.ts";
import { fromParam, ordersListHref, withFrom } from "../../../../lib/orders/list-link.ts";
import { formatMoney } from "../../../../lib/format.ts";
import { decodePathParam } from "../../../../lib/path-params.ts";
import { StatusBadge } from "../../../../components/ui/status-badge.tsx";
import { LocalTime } from "../../../../components/ui/local-time.tsx";
import { Card } from "../../../../components/ui/card.tsx";
import { Table, Td, Th } from "../../../../components/ui/table.tsx";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Customer" };

function customerId(raw: string): number | null {
  const decoded = decodePathParam(raw);
  return decoded !== null && /^[1-9]\d{0,11}$/.test(decoded) ? Number(decoded) : null;
}

/** A customer's order history: where an agent tells namesakes apart and finds the order a caller means. */
export default async function CustomerPage({ params, searchParams }: Props) {
  const user = await requirePermission("orders:read");
  const id = customerId((await params).id);
  const history = id === null ? null : getCustomerHistory({ id });
  if (!history) notFound();
  const from = (await searchParams).from;
  const back = ordersListHref(from);
  const fromQuery = fromParam(from);
  const customer = customerView(history.customer, user);
  const showTotals = can(user, "orders:read_payment");
  const cities = [...new Set(history.orders.map((o) => o.city))];

  return (
    <div className="space-y-6">
      <div>
        <Link href={back} data-testid="back-to-orders" className="text-sm text-indigo-700 hover:underline">
          ← Orders
        </Link>
        <h1 data-testid="customer-page-name" className="mt-2 text-2xl font-semibold tracking-tight">{customer.name}</h1>
        <p className="text-sm text-slate-500">
          Customer since <LocalTime ms={history.customer.createdAt} /> · {history.count} {history.count === 1 ? "order" : "orders"}
          {cities.length ? ` · ships to ${cities.slice(0, 3).join(", ")}` : ""}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Table
            caption={`Orders of ${customer.name}, newest first`}
            testId="customer-orders"
            head={
              <>
                <Th>Order</Th>
                <Th>Status</Th>
                <Th>Items</Th>
                <Th>Ship to</Th>
                {showTotals ? <Th right>Total</Th> : null}
                <Th>Placed</Th>
              </>
            }
          >
            {history.orders.map((o) => (
              <tr key={o.id} data-testid="customer-order-row">
                <Td mono>
                  <Link href={withFrom(`/orders/${encodeURIComponent(o.number)}`, fromQuery)} className="font-medium text-indigo-700 hover:underline">
                    {o.number}
                  </Link>
                </Td>
                <Td><StatusBadge status={o.status} /></Td>
                <Td freeText>
                  <span className="tabular-nums">{o.units}</span> <span className="text-slate-400">·</span> {o.products}
                </Td>
                <Td>{o.city}, {o.country}</Td>
                {showTotals ? <Td right>{formatMoney(o.total, o.currency)}</Td> : null}
                <Td><LocalTime ms={o.placedAt} /></Td>
              </tr>
            ))}
          </Table>
          {history.count > history.orders.length ? (
            <p className="mt-2 text-sm text-slate-500">The newest {history.orders.length} of {history.count} orders are shown.</p>
          ) : null}
        </div>
        <Card title="Contact" testId="customer-contact">
          {customer.contactHidden ? (
            <p data-testid="contact-hidden" className="text-sm text-slate-600">Email and phone are not shown to your role.</p>
          ) : (
            <dl className="space-y-2 text-sm wrap-anywhere">
              <div>
                <dt className="text-xs text-slate-500">Email</dt>
                <dd data-testid="customer-email" className="break-all">{customer.email}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Phone</dt>
                <dd data-testid="customer-phone">{customer.phone ?? "—"}</dd>
              </div>
            </dl>
          )}
        </Card>
      </div>
    </div>
  );
}
