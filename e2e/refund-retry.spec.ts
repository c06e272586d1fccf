import { test, expect } from "@playwright/test";
import path from "node:path";
import { authFile } from "./roles.ts";
import { pick } from "./fixtures-db.ts";
import { RefundsPage } from "./pages/refunds-page.ts";

/** A payout the provider refused (fixture from scripts/e2e-server.ts): finance sees why and retries it; the worker pays it. */
const refused = () =>
  pick<{ id: number; number: string; failureReason: string }>(`
    SELECT r.id, o.number, r.failure_reason AS failureReason FROM refunds r JOIN orders o ON o.id = r.order_id
    WHERE r.provider_ref = 'req_e2e_refused' LIMIT 1`);

// Serial: the manager looks at the refused payout before finance retries it.
test.describe.configure({ mode: "serial" });

test.describe("manager", () => {
  test.use({ storageState: authFile("manager") });

  test("sees why a payout failed, but has no retry (finance decides payouts)", async ({ page }) => {
    const { number, failureReason } = refused();
    const refunds = new RefundsPage(page);
    await refunds.goto("status=failed");
    await expect(refunds.failedRow(number).getByTestId("failure-reason")).toHaveText(failureReason);
    await expect(page.getByRole("button", { name: "Retry payout" })).toHaveCount(0);
  });
});

test.describe("finance", () => {
  test.use({ storageState: authFile("finance") });

  test("sees why a payout failed, retries it with a reason, is told what happened, and the refund is then paid", async ({ page }) => {
    const { number, failureReason } = refused();
    const refunds = new RefundsPage(page);
    await refunds.goto("status=failed");
    const row = refunds.failedRow(number);
    await expect(row.getByTestId("failure-reason")).toHaveText(failureReason);
    await page.screenshot({ path: path.resolve("e2e/artifacts", "refund-retry.png"), fullPage: true });
    await refunds.retryPayout(number, "Customer's card was reissued");
    await expect(page.getByTestId("retry-done")).toHaveText(`Retry sent: €5.00 on ${number} is approved again and being paid out; it leaves the failed refunds.`);
    await expect(refunds.failedRow(number)).toHaveCount(0); // the page refreshed: no longer failed

    // The worker pays the retried payout (the e2e server's provider is the simulated one).
    await expect(async () => {
      await refunds.goto(`status=succeeded&order=${number}`);
      await expect(refunds.rows().filter({ hasText: number })).toHaveCount(1);
    }).toPass({ timeout: 15_000 });
  });
});
