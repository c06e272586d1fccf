import type { ReactNode } from "react";

/** A readable table shell: caption for screen readers, sticky-looking header, tabular numbers. */
export function Table({ caption, head, children, testId }: { caption: string; head: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table data-testid={testId} className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Th({ children, right = false }: { children: ReactNode; right?: boolean }) {
  return (
    <th scope="col" className={`px-4 py-2 ${right ? "text-right" : ""}`}>
      {children}
    </th>
  );
}

/** `freeText`: what people typed (names, reasons, notes) wraps anywhere, so one long word cannot widen the page. `mono` cells hold identifiers (order numbers, SKUs, tracking): they never break across lines. */
export function Td({ children, right = false, mono = false, freeText = false }: { children: ReactNode; right?: boolean; mono?: boolean; freeText?: boolean }) {
  return <td className={`px-4 py-2 ${right ? "text-right tabular-nums" : ""} ${mono ? "font-mono text-xs whitespace-nowrap" : ""} ${freeText ? "min-w-40 wrap-anywhere" : ""}`}>{children}</td>;
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children ? <p className="text-sm text-slate-500">{children}</p> : null}
    </div>
  );
}
