import { expect, test } from '@playwright/test';
import { signIn, watchConsole } from './helpers';

// The dashboard on a phone-sized screen: navigation and the calendar fit.
test('overview and calendar work on a phone', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/calendar');
  await expect(page.locator('.calendar')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Bookings' })).toBeVisible();
  await page.screenshot({ path: 'artifacts/calendar-phone.png', fullPage: true });
  expect(errors).toEqual([]);
});
