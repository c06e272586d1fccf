import { test, expect } from "@playwright/test";
import { authFile } from "./roles.ts";
import { RoutingPage } from "./pages/routing-page.ts";

test.describe("warehouse lead", () => {
  test.use({ storageState: authFile("warehouse_lead") });

  test("filters routing decisions to splits and sees why an order was split", async ({ page }) => {
    const routing = new RoutingPage(page);
    await routing.goto();
    await routing.filterBy("Split");
    await expect(page).toHaveURL(/\/routing\?filter=split$/);
    await expect(routing.activeFilter()).toHaveText("Split");

    // Every listed decision split the order: a split outcome, or another outcome marked split as well.
    const rows = routing.decisionRows();
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row.locator('[data-status="split"]')).toHaveCount(1);

    const decision = await routing.openDecision(rows.first());
    await expect(page).toHaveURL(/\/routing\/decisions\/\d+$/);

    // Every location considered is listed with a reason; at least two were chosen, one per shipment.
    const shipments = await decision.plannedShipments();
    expect(shipments).toBeGreaterThanOrEqual(2);
    await expect(decision.chosenCandidates()).toHaveCount(shipments);
    expect(await decision.candidates().count()).toBeGreaterThan(shipments);
    for (const candidate of await decision.candidates().all()) await expect(candidate.locator("li").first()).not.toBeEmpty();
    for (const chosen of await decision.chosenCandidates().all()) {
      await expect(chosen).toContainText("Chosen");
      await expect(chosen).toContainText(/ships \d+ × |dropships \d+ × /);
    }
    await expect(decision.candidates().filter({ hasText: "Not used" }).first()).toBeVisible();

    // The explanation says why it was split.
    await expect(decision.explanation()).toContainText(/No one location holds every unit: \d+ shipments|split across locations/);
    await expect(decision.explanation()).toContainText(`${shipments} shipments`);
  });
});
