import Database from "better-sqlite3";
import type { RefundFilters } from "../../db/queries/refund-filters.ts";
import { refundWhere } from "../../db/queries/refund-filters.ts";
import { REFUND_CSV_COLUMNS, csvLine, refundCsvLine, type RefundExportRow } from "./csv.ts";

const REFUND_EXPORT_SQL = `
  SELECT r.id, r.created_at AS createdAt, o.number AS orderNumber, c.name AS customerName, c.email AS customerEmail,
         r.status, r.amount, r.currency, r.reason, rq.email AS requestedBy, dc.email AS decidedBy,
         r.decided_at AS decidedAt, r.decision_note AS decisionNote, r.completed_at AS completedAt, r.provider_ref AS providerRef
  FROM refunds r
  JOIN orders o ON o.id = r.order_id
  JOIN customers c ON c.id = o.customer_id
  LEFT JOIN users rq ON rq.id = r.requested_by
  LEFT JOIN users dc ON dc.id = r.decided_by`;

/** Rows per chunk handed to the response: large enough to be cheap, small enough to keep memory flat. */
const ROWS_PER_CHUNK = 500;

/**
 * The filtered refunds as a CSV byte stream, newest first, read row by row with `.iterate()`.
 * It reads through its own read-only connection: an open iterator keeps a better-sqlite3 connection
 * busy, and the app's shared one must stay free for other requests while a slow client downloads.
 * WAL gives the export one consistent snapshot. The connection closes at the end, on error or on cancel.
 */
export function refundCsvStream(databaseFile: string, filters: RefundFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let conn: Database.Database | null = null;
  let rows: IterableIterator<RefundExportRow> | null = null;
  const close = () => {
    rows?.return?.();
    rows = null;
    conn?.close();
    conn = null;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        conn = new Database(databaseFile, { readonly: true, fileMustExist: true });
        conn.pragma("busy_timeout = 5000");
        const where = refundWhere(filters);
        const stmt = conn.prepare(`${REFUND_EXPORT_SQL} ${where.sql} ORDER BY r.created_at DESC, r.id DESC`);
        rows = stmt.iterate(...where.params) as IterableIterator<RefundExportRow>;
        controller.enqueue(encoder.encode("\uFEFF" + csvLine(REFUND_CSV_COLUMNS)));
      },
      pull(controller) {
        try {
          let chunk = "";
          for (let i = 0; i < ROWS_PER_CHUNK; i++) {
            const next = rows!.next();
            if (next.done) {
              if (chunk) controller.enqueue(encoder.encode(chunk));
              close();
              controller.close();
              return;
            }
            chunk += refundCsvLine(next.value);
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      cancel() {
        close();
      },
    },
    // Back-pressure: at most a few chunks wait in memory for a slow reader.
    { highWaterMark: 2 },
  );
}
