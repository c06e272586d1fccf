import { trackingUrl } from "../../lib/orders/tracking.ts";

/** A tracking number, linked to the carrier's tracking page when we know it. */
export function TrackingLink({ carrier, trackingNumber, testId }: { carrier: string | null; trackingNumber: string; testId?: string }) {
  const url = trackingUrl(carrier, trackingNumber);
  if (!url) return <span data-testid={testId} className="font-mono">{trackingNumber}</span>;
  return (
    <a data-testid={testId} href={url} target="_blank" rel="noopener noreferrer" className="font-mono text-indigo-700 hover:underline">
      {trackingNumber}
      <span className="sr-only"> (opens {carrier} tracking)</span>
    </a>
  );
}
