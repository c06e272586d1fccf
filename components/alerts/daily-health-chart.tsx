"use client";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLORS } from "./metrics-charts.tsx";

export type HealthDay = { day: string; label: string; orders: number; decisions: number; splitPct: number | null; backorderPct: number | null };

/**
 * Orders placed per day as bars (a quiet day is a zero bar, since zero orders is a fact) and the split
 * and backorder rates as lines that break on a day without routing decisions (a rate of nothing is
 * unknown, not 0 %, so no line is drawn across it). Every day of the range has its slot on the axis.
 */
export function DailyHealthChart({ data }: { data: HealthDay[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={8} />
        <YAxis yAxisId="orders" allowDecimals={false} tick={{ fontSize: 11 }} width={44} />
        <YAxis yAxisId="pct" orientation="right" unit="%" domain={[0, "auto"]} tick={{ fontSize: 11 }} width={48} />
        <Tooltip />
        <Legend />
        <Bar yAxisId="orders" dataKey="orders" name="Orders placed" fill="#94a3b8" isAnimationActive={false} />
        <Line yAxisId="pct" dataKey="splitPct" name="Split %" stroke={CHART_COLORS.INDIGO} connectNulls={false} dot isAnimationActive={false} />
        <Line yAxisId="pct" dataKey="backorderPct" name="Backordered %" stroke={CHART_COLORS.ROSE} connectNulls={false} dot isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
