import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";

test.describe("outgoing delivery: dead letters, settings and the delivery panel", () => {
  test.use({ storageState: authFile("admin") });

  test("an admin reads a dead letter's payload, retries one and discards the rest after confirming, and sets the delivery settings", async ({ page }) => {
    await page.goto("/admin/settings");
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Dead letters" }).click();
    await expect(page).toHaveURL(/\/admin\/dead-letters/);
    await page.getByRole("navigation", { name: "Consumer" }).getByRole("link", { name: /webhook:e2e \(2 dead\)/ }).click();
    const rows = page.getByTestId("dead-letters-table").getByTestId("dead-letter-row");
    await expect(rows).toHaveCount(2);
    const first = rows.first();
    await expect(first.getByTestId("dead-letter-error")).toHaveText("receiver answered 500: Internal Server Error");
    await expect(first).toContainText("1 h 30 min");
    await expect(first.getByRole("link", { name: /^SY-/ })).toBeVisible();
    await first.getByTestId("raw-payload").getByText("Show JSON").click();
    await expect(first.getByTestId("raw-payload").locator("pre")).toContainText('"orderId"');

    await first.getByRole("button", { name: /^Retry message/ }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("with the original message id");
    await dialog.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("dead-letter-outcome")).toContainText("1 dead letter of webhook:e2e queued for redelivery (audited)");
    await expect(rows).toHaveCount(1);

    await page.getByTestId("dead-letter-bulk").getByRole("button", { name: /^Discard all dead letters/ }).click();
    await expect(page.getByRole("dialog")).toContainText("will never be delivered");
    await page.getByRole("dialog").getByRole("button", { name: "Discard" }).click();
    await expect(page.getByTestId("dead-letter-outcome")).toContainText("1 dead letter of webhook:e2e discarded (audited)");
    await expect(page.getByTestId("empty-state")).toBeVisible();
    await page.getByRole("navigation", { name: "Filter by status" }).getByRole("link", { name: /^All \(2\)/ }).click();
    await expect(page.locator('[data-testid="dead-letter-row"][data-status="retrying"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="dead-letter-row"][data-status="discarded"]')).toContainText("by ");

    await page.goto("/admin/settings");
    const form = page.getByTestId("delivery-settings-form");
    await form.getByLabel("Attempts before a message is dead-lettered").fill("5");
    await form.getByLabel("Keep delivered messages for (hours)").fill("72");
    await form.getByRole("button", { name: "Save delivery settings" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved and audited.");
    await page.reload();
    await expect(page.getByTestId("delivery-settings-form").getByLabel("Attempts before a message is dead-lettered")).toHaveValue("5");
  });

  test("the metrics page's Delivery panel lists each consumer with its backlog, oldest message and dead letters", async ({ page }) => {
    await page.goto("/alerts/metrics");
    const panel = page.getByTestId("delivery-panel");
    await expect(panel.getByRole("heading", { name: "Delivery" })).toBeVisible();
    await expect(panel.locator('[data-testid="delivery-consumer"][data-consumer="payments"]')).toBeVisible();
    await expect(panel.locator('[data-testid="delivery-consumer"][data-consumer="webhook:e2e"]')).toBeVisible();
  });
});
