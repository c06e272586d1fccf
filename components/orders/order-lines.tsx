import { formatMoney } from "../../lib/format.ts";

type Line = { id: number; sku: string; name: string; qtyOrdered: number; qtyCancelled: number; unitPrice: number };

export function OrderLines({ lines, currency, showPrices }: { lines: Line[]; currency: string; showPrices: boolean }) {
  return (
    <table className="min-w-full text-sm">
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-4 font-medium">SKU</th>
          <th scope="col" className="py-1 pr-4 font-medium">Product</th>
          <th scope="col" className="py-1 pr-4 text-right font-medium">Ordered</th>
          <th scope="col" className="py-1 pr-4 text-right font-medium">Cancelled</th>
          {showPrices ? <th scope="col" className="py-1 pr-4 text-right font-medium">Unit price</th> : null}
          {showPrices ? <th scope="col" className="py-1 text-right font-medium">Line total</th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {lines.map((l) => (
          <tr key={l.id} data-testid="order-line">
            <td className="py-1.5 pr-4 font-mono text-xs whitespace-nowrap">{l.sku}</td>
            <td className="py-1.5 pr-4 wrap-anywhere">{l.name}</td>
            <td className="py-1.5 pr-4 text-right tabular-nums">{l.qtyOrdered}</td>
            <td className="py-1.5 pr-4 text-right tabular-nums text-slate-500">{l.qtyCancelled || "—"}</td>
            {showPrices ? <td className="py-1.5 pr-4 text-right tabular-nums">{formatMoney(l.unitPrice, currency)}</td> : null}
            {showPrices ? (
              <td className="py-1.5 text-right tabular-nums">{formatMoney(l.unitPrice * (l.qtyOrdered - l.qtyCancelled), currency)}</td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
