import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { authFile } from "./roles.ts";
import { e2eDb } from "./fixtures-db.ts";
import { RefundsPage } from "./pages/refunds-page.ts";
import { LoginPage } from "./pages/login-page.ts";

/** The month before today's in a zone, as the browser's own Intl sees it: its first and last day and "YYYY-MM". */
function lastMonthIn(timeZone: string) {
  const [y, m] = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).format(Date.now()).split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 2, 1));
  const last = new Date(Date.UTC(y, m - 1, 0));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { first: iso(first), last: iso(last), month: iso(first).slice(0, 7), lastDay: last.getUTCDate(), name: first.toLocaleString("en-GB", { month: "short", timeZone: "UTC" }), year: first.getUTCFullYear() };
}

test.describe("finance", () => {
  test.use({ storageState: authFile("finance"), timezoneId: "Europe/Madrid" });

  test("finance: last month's refunds over €100 in EUR exported — the button and the file say what they hold, the rows are exactly that set", async ({ page }) => {
    const refunds = new RefundsPage(page);
    await refunds.goto();
    // The browser tells the server its zone; the filters then read days in Madrid.
    await expect(page.getByTestId("filter-zone")).toHaveText("Europe/Madrid");

    // A mistyped day is refused with a message, and nothing is listed or exported meanwhile.
    await refunds.filter({ period: "Custom dates", from: "31/02/2026" });
    await expect(refunds.filters().getByRole("alert")).toContainText('"31/02/2026" is not a date');
    await expect(page.getByTestId("filter-errors")).toBeVisible();
    await expect(refunds.exportLink()).toHaveCount(0);

    await refunds.filter({ period: "Last month", currency: "EUR", min: "100,00", from: "" });
    const lm = lastMonthIn("Europe/Madrid");
    const range = `1–${lm.lastDay} ${lm.name} ${lm.year} (Europe/Madrid)`;
    await expect(page).toHaveURL(/[?&]period=last_month/);
    await expect(page.getByTestId("filter-state")).toContainText(`EUR · €100.00 or more · last month, ${range}`);
    const counted = (await page.getByTestId("total-count").allTextContents()).reduce((n, t) => n + Number(t.replace(/\D/g, "")), 0);
    expect(counted).toBeGreaterThan(0);
    await expect(refunds.total("GBP")).toHaveCount(0);
    await expect(refunds.exportLink()).toHaveText(`Download ${counted.toLocaleString("en-GB")} refund${counted === 1 ? "" : "s"}, EUR, €100.00 or more, last month, ${range} (CSV)`);

    const [download] = await Promise.all([page.waitForEvent("download"), refunds.exportLink().click()]);
    expect(download.suggestedFilename()).toBe(`refunds_${lm.first}_to_${lm.last}_EUR.csv`);
    const lines = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^refund_id,created_at_utc,order_number,/);
    const records = lines.slice(1).map((l) => l.match(/^(\d+),([^,]+),/)!);
    expect(records).toHaveLength(counted);
    // Each row, read back by the browser's own calendar: a euro refund of at least €100 made last month in Madrid.
    const monthInMadrid = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Madrid", year: "numeric", month: "2-digit" });
    for (const r of records) expect(monthInMadrid.format(new Date(r[2]!))).toBe(lm.month);
    const db = e2eDb();
    try {
      const ids = records.map((r) => Number(r[1]));
      const rows = db.prepare(`SELECT currency, amount, created_at FROM refunds WHERE id IN (${ids.map(() => "?").join(",")})`).all(...ids) as { currency: string; amount: number; created_at: number }[];
      for (const r of rows) {
        expect(r.currency).toBe("EUR");
        expect(r.amount).toBeGreaterThanOrEqual(10_000);
      }
      // Nothing missing: every euro refund ≥ €100 whose Madrid month is last month is in the file.
      const all = db.prepare("SELECT id, created_at FROM refunds WHERE currency = 'EUR' AND amount >= 10000").all() as { id: number; created_at: number }[];
      expect(all.filter((r) => monthInMadrid.format(r.created_at) === lm.month).map((r) => r.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      db.close();
    }
  });
});

test.describe("admin", () => {
  test.use({ storageState: authFile("admin") });

  test("admin: invite an agent — the agent opens the link, sets a password, signs in; the link works once", async ({ page, browser }) => {
    const email = `invited-${Date.now()}@switchyard.test`;
    const password = "lantern orchard seventy";
    await page.goto("/admin");
    const form = page.getByTestId("invite-user-form");
    await form.getByLabel("Name").fill("Ivo Invited");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption({ label: "Support agent" });
    await form.getByRole("button", { name: "Send invite" }).click();
    const link = await form.getByLabel("Invite link").inputValue();
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await expect(page.locator(`[data-testid="invite-row"][data-email="${email}"]`)).toHaveAttribute("data-state", "open");

    const guest = await browser.newContext();
    const agent = await guest.newPage();
    await agent.goto(new URL(link).pathname);
    await expect(agent.getByText(`you are invited as Support agent with the email ${email}`)).toBeVisible();
    const axe = await new AxeBuilder({ page: agent }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
    await agent.getByLabel("Choose a password").fill("password1234");
    await agent.getByLabel("Type it again").fill("password1234");
    await agent.getByRole("button", { name: "Set password and create my account" }).click();
    await expect(agent.locator("#invite-error")).toContainText("common password");
    await agent.getByLabel("Choose a password").fill(password);
    await agent.getByLabel("Type it again").fill(password);
    await agent.getByRole("button", { name: "Set password and create my account" }).click();
    await expect(agent.getByTestId("invite-accepted")).toContainText(`Your account ${email} is ready.`);
    await agent.getByRole("link", { name: "Sign in" }).click();
    await new LoginPage(agent).signIn(email, password);
    await agent.waitForURL("**/orders");
    await expect(agent.getByText("Ivo Invited")).toBeVisible();

    // Used once: the same link now refuses.
    const later = await browser.newContext();
    const again = await later.newPage();
    await again.goto(new URL(link).pathname);
    await expect(again.getByTestId("invite-problem")).toContainText("not valid any more");
    await later.close();
    await guest.close();

    await page.reload();
    await expect(page.locator(`[data-testid="invite-row"][data-email="${email}"]`)).toHaveAttribute("data-state", "accepted");
    await expect(page.locator(`[data-testid="user-row"][data-email="${email}"]`)).toBeVisible();
  });

  test("admin: the refund limit takes a decimal comma like the refund dialog", async ({ page }) => {
    await page.goto("/admin/settings");
    // The seeded pound limit typed the European way: read as £85.00, not refused (other specs rely on it staying 85).
    const gbp = page.locator('[data-testid="refund-limit-form"][data-currency="GBP"]');
    await gbp.getByRole("textbox").fill("85,00");
    await gbp.getByRole("button", { name: "Save GBP limit" }).click();
    await expect(gbp.getByRole("status")).toHaveText("Saved and audited.");
    await gbp.getByRole("textbox").fill("85,001");
    await gbp.getByRole("button", { name: "Save GBP limit" }).click();
    await expect(gbp).toContainText("GBP has at most 2 decimals.");
  });
});

test.describe("manager", () => {
  test.use({ storageState: authFile("manager"), timezoneId: "Europe/Madrid" });

  test("manager: this week vs last week, then a chosen week; every day has its slot and no label is clipped", async ({ page }) => {
    await page.goto("/alerts/metrics");
    await expect(page.getByTestId("metrics-range").getByText("Days in Europe/Madrid")).toBeVisible();
    await expect(page.getByTestId("metrics-range").getByLabel("Period")).toHaveValue("this_week");
    await expect(page.getByRole("heading", { name: /compared with/ })).toBeVisible();
    for (const id of ["orders-placed", "p50", "split-rate"]) await expect(page.getByTestId(`change-${id}`)).toBeVisible();

    const range = page.getByTestId("metrics-range");
    await range.getByLabel("Period").selectOption({ label: "Custom dates" });
    await range.getByLabel("From (custom)").fill("2026-10-19");
    await range.getByLabel("To (custom, included)").fill("25/10/2026");
    await range.getByRole("button", { name: "Show" }).click();
    await expect(page.getByTestId("health-range")).toHaveText("19–25 Oct 2026 (Europe/Madrid)");
    await expect(page.getByRole("heading", { name: /compared with 12–18 Oct 2026/ })).toBeVisible();
    const change = page.getByTestId("change-orders-placed");
    expect(["up", "down", "same"]).toContain(await change.getAttribute("data-direction"));
    await expect(change).toHaveText(/^(▲ \+|▼ −)\d+\.\d %|^no change/);

    // The per-day numbers: all seven days, quiet ones included.
    const daily = page.getByTestId("chart-daily");
    await daily.getByText("Show the numbers").click();
    await expect(daily.locator("tbody tr")).toHaveCount(7);
    await expect(daily.locator("svg.recharts-surface").first()).toBeVisible();

    // No category label sticks out of its chart or is broken over two lines.
    for (const id of ["chart-orders-by-status", "chart-routing", "chart-paid-to-shipped", "chart-daily"]) {
      const svg = page.getByTestId(id).locator(".recharts-wrapper > svg");
      const box = (await svg.boundingBox())!;
      const ticks = await svg.locator(".recharts-cartesian-axis-tick-value").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, bottom: r.bottom })));
      expect(ticks.length).toBeGreaterThan(0);
      const lines = await svg.locator(".recharts-cartesian-axis-tick-value").evaluateAll((els) => els.map((e) => e.querySelectorAll("tspan").length));
      expect(Math.max(...lines), `${id}: a tick label wraps`).toBe(1);
      for (const t of ticks) {
        expect(t.left).toBeGreaterThanOrEqual(box.x - 1);
        expect(t.right).toBeLessThanOrEqual(box.x + box.width + 1);
        expect(t.bottom).toBeLessThanOrEqual(box.y + box.height + 1);
      }
    }
  });
});
