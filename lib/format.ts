const moneyFormats = new Map<string, { f: Intl.NumberFormat; digits: number }>();

/** Formats integer minor units at the edge; the only place money becomes text. */
export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  const key = `${locale}:${currency}`;
  let m = moneyFormats.get(key);
  if (!m) {
    const f = new Intl.NumberFormat(locale, { style: "currency", currency });
    m = { f, digits: f.resolvedOptions().maximumFractionDigits ?? 2 };
    moneyFormats.set(key, m);
  }
  return m.f.format(minor / 10 ** m.digits);
}

export function humanStatus(status: string): string {
  const s = status.replaceAll("_", " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
