"use client";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReactNode } from "react";

const INDIGO = "#4338ca";
const ROSE = "#be123c";
const AMBER = "#b45309";

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

export function CountBars({ data, x, y, color = INDIGO }: { data: Record<string, string | number>[]; x: string; y: string; color?: string }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey={x} tick={{ fontSize: 11 }} interval={0} angle={-20} textAnchor="end" height={50} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
        <Tooltip />
        <Bar dataKey={y} fill={color} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function StackedAlertBars({ data }: { data: { label: string; open: number; acknowledged: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} angle={-15} textAnchor="end" height={60} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
        <Tooltip />
        <Legend />
        <Bar dataKey="open" stackId="a" fill={ROSE} name="Open" isAnimationActive={false} />
        <Bar dataKey="acknowledged" stackId="a" fill={AMBER} name="Acknowledged" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function RateLines({ data }: { data: { day: string; splitRate: number; backorderRate: number }[] }) {
  const pct = data.map((d) => ({ day: d.day.slice(5), split: Math.round(d.splitRate * 1000) / 10, backordered: Math.round(d.backorderRate * 1000) / 10 }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={pct} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tick={{ fontSize: 11 }} />
        <YAxis unit="%" tick={{ fontSize: 11 }} width={48} />
        <Tooltip />
        <Legend />
        <Line type="monotone" dataKey="split" name="Split %" stroke={INDIGO} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="backordered" name="Backordered %" stroke={ROSE} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
