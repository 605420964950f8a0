import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

// Every page at a desk's 1280 px and a phone's 390 px: it renders,
// hydrates without a console error or a hydration warning, and a
// screenshot is kept (end2end/artifacts/pages/) for people to look at.
const PAGES: [string, string][] = [
  ['overview', '/'],
  ['inbox', '/inbox'],
  ['calendar-day', '/calendar'],
  ['calendar-week', '/calendar?view=week'],
  ['calendar-month', '/calendar?view=month'],
  ['bookings', '/bookings'],
  ['booking', '/bookings/1'],
  ['analytics', '/analytics'],
  ['resources', '/resources'],
  ['knowledge', '/knowledge'],
  ['resource', '/resources/1'],
  ['resource-pricing', '/resources/1/pricing'],
  ['resource-rules', '/resources/1/rules'],
  ['simulator', '/simulator'],
  ['api-keys', '/settings/api-keys'],
  ['outlets', '/outlets'],
  ['team', '/team'],
  ['account', '/account'],
  ['settings', '/settings'],
];

for (const [width, height, label] of [
  [1280, 900, 'desktop'],
  [390, 844, 'phone'],
] as const) {
  test(`every page at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const errors = watchConsole(page);
    await signIn(page);
    for (const [name, path] of PAGES) {
      await page.goto(path);
      await hydrated(page);
      await expect(page.locator('h1')).toBeVisible();
      await expect(page.locator('.error')).toHaveCount(0);
      // Nothing wider than the screen but the calendar and tables, which scroll.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(1);
      await page.screenshot({ path: `artifacts/pages/${name}-${label}.png`, fullPage: true });
    }
    expect(errors).toEqual([]);
  });
}
