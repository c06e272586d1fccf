import { test, expect } from "@playwright/test";
import { authFile, demoUser } from "./roles.ts";
import { LoginPage } from "./pages/login-page.ts";

test.describe("sessions", () => {
  test("a session cookie copied before sign-out is refused after it: pages go to /login, the API answers 401", async ({ browser }) => {
    // A user of its own: signing out ends every session of that user, and the demo users' stored sessions must live on.
    const email = `copied-cookie-${Date.now()}@switchyard.test`;
    const password = "quiet harbour lantern 31";
    const admin = await browser.newContext({ storageState: authFile("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto("/admin");
    const form = adminPage.getByTestId("create-user-form");
    await form.getByLabel("Name").fill("Copied Cookie");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel(/Password/).fill(password);
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByRole("status")).toContainText(`${email} can now sign in`);
    await admin.close();

    const owner = await browser.newContext();
    const page = await owner.newPage();
    await page.goto("/login");
    await new LoginPage(page).signIn(email, password);
    await page.waitForURL("**/orders");
    const copied = await owner.cookies();
    expect(copied.some((c) => c.name.includes("next-auth.session-token"))).toBe(true);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login**");
    await owner.close();

    const thief = await browser.newContext();
    await thief.addCookies(copied);
    const stolen = await thief.newPage();
    await stolen.goto("/orders");
    await expect(stolen).toHaveURL(/\/login/);
    await expect(stolen.getByRole("button", { name: "Sign in" })).toBeVisible();
    const api = await stolen.request.get("/api/search?q=SY");
    expect(api.status()).toBe(401);
    await thief.close();
  });

  for (const hostile of ["/\\evil.test/collect", "/\t/evil.test/collect", "//evil.test/collect", "https://evil.test/collect", "/%5Cevil.test/collect"]) {
    test(`signing in with callbackUrl ${JSON.stringify(hostile)} stays on our site, at /orders`, async ({ page, baseURL }) => {
      let leftForEvil = false;
      await page.route((url) => url.hostname === "evil.test", (route) => {
        leftForEvil = true;
        return route.fulfill({ body: "evil" });
      });
      await page.goto(`/login?callbackUrl=${encodeURIComponent(hostile)}`);
      const agent = demoUser("agent");
      await new LoginPage(page).signIn(agent.email, agent.password);
      await page.waitForURL(`${baseURL}/orders`);
      await expect(page.getByTestId("current-role")).toHaveText("Support agent");
      expect(leftForEvil).toBe(false);
    });
  }
});
