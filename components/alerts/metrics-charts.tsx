"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReactNode } from "react";

const INDIGO = "#4338ca";
const ROSE = "#be123c";
const AMBER = "#b45309";
export const CHART_COLORS = { INDIGO, ROSE, AMBER };

/** A chart with a caption and its numbers as a table, so the figure reads without seeing the picture. */
export function ChartFigure({ title, summary, table, children, testId }: { title: string; summary?: ReactNode; table: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <figure data-testid={testId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <figcaption className="mb-2">
        <span className="block text-sm font-semibold text-slate-800">{title}</span>
        {summary ? <span className="block text-sm text-slate-700">{summary}</span> : null}
      </figcaption>
      <div aria-hidden="true" className="h-60">
        {children}
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-indigo-800">Show the numbers</summary>
        {table}
      </details>
    </figure>
  );
}

/** Room for the longest category label beside the bars, so none is cut off (11 px text, at most ~7 px a character, plus the tick). */
const labelWidth = (labels: string[]) => Math.min(220, Math.max(64, Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * 7) + 24));

/** Horizontal bars: category labels read level and whole, however long ("Awaiting fulfillment"). */
export function CountBars({ data, x, y, color = INDIGO }: { data: Record<string, string | number>[]; x: string; y: string; color?: string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
        <YAxis type="category" dataKey={x} tick={{ fontSize: 11 }} interval={0} width={labelWidth(data.map((d) => String(d[x])))} />
        <Tooltip />
        <Bar dataKey={y} fill={color} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function StackedAlertBars({ data }: { data: { label: string; open: number; acknowledged: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
        <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} interval={0} width={labelWidth(data.map((d) => d.label))} />
        <Tooltip />
        <Legend />
        <Bar dataKey="open" stackId="a" fill={ROSE} name="Open" isAnimationActive={false} />
        <Bar dataKey="acknowledged" stackId="a" fill={AMBER} name="Acknowledged" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
