"use client";
import { useState, type FormEvent } from "react";
import { minorDigits, parseMoneyInput } from "../../lib/currency.ts";
import { setAlertThresholdsAction, setDeliverySettingsAction, setLocationSlaAction, setRefundLimitAction } from "../../app/(ops)/admin/actions.ts";
import type { AlertThresholds } from "../../lib/alerts/rules.ts";
import type { DeliverySettings } from "../../lib/worker/delivery-settings.ts";
import { ErrorNote, buttonClass } from "../ui/dialog.tsx";
import { useOrderAction } from "../orders/actions/use-action.ts";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const label = "block text-xs font-medium text-slate-700";
const save = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50";

function Saved({ show }: { show: boolean }) {
  return show ? (
    <span role="status" className="text-sm text-emerald-800">
      Saved and audited.
    </span>
  ) : null;
}

export function RefundLimitForm({ limits }: { limits: Record<string, number> }) {
  const currencies = [...new Set(["EUR", "GBP", ...Object.keys(limits)])].sort();
  return (
    <div className="space-y-3">
      {currencies.map((c) => (
        <RefundLimitRow key={c} currency={c} amount={limits[c] ?? null} />
      ))}
    </div>
  );
}

function RefundLimitRow({ currency, amount }: { currency: string; amount: number | null }) {
  const digits = minorDigits(currency);
  const [value, setValue] = useState(amount === null ? "" : (amount / 10 ** digits).toFixed(digits));
  const [saved, setSaved] = useState(false);
  const { submit, pending, error, setError } = useOrderAction(setRefundLimitAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const parsed = parseMoneyInput(value, currency);
    if (!parsed.ok) return setError(parsed.message);
    submit({ amount: parsed.minor, currency }, () => setSaved(true));
  };
  return (
    <form onSubmit={onSubmit} data-testid="refund-limit-form" data-currency={currency} className="flex flex-wrap items-end gap-3">
      <label className={label}>
        Agent refund limit per order ({currency}){amount === null ? " — not set: every refund waits" : ""}
        <input inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} className={input} />
      </label>
      <button type="submit" disabled={pending} className={save}>
        Save {currency} limit
      </button>
      <Saved show={saved} />
      <ErrorNote message={error} />
    </form>
  );
}

const THRESHOLD_FIELDS: { key: keyof AlertThresholds; label: string }[] = [
  { key: "awaiting_fulfillment_hours", label: "Awaiting fulfilment longer than (hours)" },
  { key: "payment_processing_minutes", label: "Payment processing longer than (minutes)" },
  { key: "backorder_age_days", label: "Backorder older than (days)" },
  { key: "shipment_sla_hours", label: "Default shipment SLA (hours)" },
];

export function ThresholdsForm({ thresholds }: { thresholds: AlertThresholds }) {
  const [values, setValues] = useState<Record<keyof AlertThresholds, string>>({
    awaiting_fulfillment_hours: String(thresholds.awaiting_fulfillment_hours),
    payment_processing_minutes: String(thresholds.payment_processing_minutes),
    backorder_age_days: String(thresholds.backorder_age_days),
    shipment_sla_hours: String(thresholds.shipment_sla_hours),
  });
  const [saved, setSaved] = useState(false);
  const { submit, pending, error } = useOrderAction(setAlertThresholdsAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    submit(
      {
        awaiting_fulfillment_hours: Number(values.awaiting_fulfillment_hours),
        payment_processing_minutes: Number(values.payment_processing_minutes),
        backorder_age_days: Number(values.backorder_age_days),
        shipment_sla_hours: Number(values.shipment_sla_hours),
      },
      () => setSaved(true),
    );
  };
  return (
    <form onSubmit={onSubmit} data-testid="thresholds-form" className="grid gap-3 md:grid-cols-4">
      {THRESHOLD_FIELDS.map((f) => (
        <label key={f.key} className={label}>
          {f.label}
          <input type="number" min={1} step={1} value={values[f.key]} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} className={input} />
        </label>
      ))}
      <div className="col-span-full flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={save}>
          Save thresholds
        </button>
        <Saved show={saved} />
        <ErrorNote message={error} />
      </div>
    </form>
  );
}

export function DeliverySettingsForm({ settings }: { settings: DeliverySettings }) {
  const [maxAttempts, setMaxAttempts] = useState(String(settings.maxAttempts));
  const [retentionHours, setRetentionHours] = useState(String(settings.retentionHours));
  const [saved, setSaved] = useState(false);
  const { submit, pending, error } = useOrderAction(setDeliverySettingsAction);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    submit({ maxAttempts: Number(maxAttempts), retentionHours: Number(retentionHours) }, () => setSaved(true));
  };
  return (
    <form onSubmit={onSubmit} data-testid="delivery-settings-form" className="grid gap-3 md:grid-cols-4">
      <label className={label}>
        Attempts before a message is dead-lettered
        <input type="number" min={1} max={100} step={1} value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} className={input} />
      </label>
      <label className={label}>
        Keep delivered messages for (hours)
        <input type="number" min={1} max={24 * 365} step={1} value={retentionHours} onChange={(e) => setRetentionHours(e.target.value)} className={input} />
      </label>
      <div className="col-span-full flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={save}>
          Save delivery settings
        </button>
        <Saved show={saved} />
        <ErrorNote message={error} />
      </div>
    </form>
  );
}

export function LocationSlaForm({ locationId, name, hours, defaultHours }: { locationId: number; name: string; hours: number; defaultHours: number }) {
  const [value, setValue] = useState(String(hours));
  const [saved, setSaved] = useState(false);
  const { submit, pending, error } = useOrderAction(setLocationSlaAction);
  const send = (h: number) => {
    setSaved(false);
    submit({ locationId, hours: h }, () => (setValue(String(h)), setSaved(true)));
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send(Number(value));
      }}
      className="flex flex-wrap items-center gap-2"
    >
      <input type="number" min={1} step={1} aria-label={`SLA hours for ${name}`} value={value} onChange={(e) => setValue(e.target.value)} className="w-24 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm" />
      <button type="submit" disabled={pending} className={buttonClass}>
        Save
      </button>
      {hours !== defaultHours ? (
        <button type="button" disabled={pending} className={buttonClass} onClick={() => send(defaultHours)}>
          Use default ({defaultHours} h)
        </button>
      ) : null}
      <Saved show={saved} />
      <ErrorNote message={error} />
    </form>
  );
}
