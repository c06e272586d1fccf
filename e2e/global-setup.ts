import { chromium, type FullConfig } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ROLES, authFile, demoUser } from "./roles.ts";

/** Signs each role in once through the real login form and keeps its cookies. */
export default async function globalSetup(config: FullConfig) {
  const project = config.projects[0]!;
  const { baseURL, launchOptions } = project.use;
  mkdirSync(path.resolve("e2e/.auth"), { recursive: true });
  const browser = await chromium.launch(launchOptions);
  try {
    for (const role of ROLES) {
      const user = demoUser(role);
      const page = await browser.newPage({ baseURL });
      await page.goto("/login");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL("**/orders", { timeout: 30_000 });
      await page.context().storageState({ path: authFile(role) });
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
