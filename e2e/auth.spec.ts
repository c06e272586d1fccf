import { test, expect } from "@playwright/test";
import { LoginPage } from "./pages/login-page.ts";
import { demoUser } from "./roles.ts";

test.describe("signed out", () => {
  test("a signed-out visit to an order list redirects to /login and back after sign-in", async ({ page }) => {
    await page.goto("/orders?status=delivered");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Forders%3Fstatus%3Ddelivered$/);
    const login = new LoginPage(page);
    const agent = demoUser("agent");
    await login.signIn(agent.email, agent.password);
    await expect(page).toHaveURL(/\/orders\?status=delivered$/);
    await expect(page.getByTestId("current-role")).toHaveText("Support agent");
  });

  test("a signed-out API call is refused with 401, not redirected", async ({ request }) => {
    const res = await request.get("/api/orders-that-need-a-session", { maxRedirects: 0 });
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ code: "unauthenticated" });
  });

  test("a wrong password shows a clear error and stays on the login page", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(demoUser("finance").email, "not-the-password");
    await login.expectError(/not right/);
    await expect(page).toHaveURL(/\/login/);
  });
});
