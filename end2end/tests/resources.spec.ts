import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

test('an owner creates a court with hours and a peak rule, sees the price grid, edits, archives and restores it', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/resources');
  await hydrated(page);
  const name = `Padel ${Math.floor(Math.random() * 1e6)}`;
  const form = page.locator('section.card', { hasText: 'Add a resource' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Base rate per hour (Rp)').fill('100000');
  // Open 08:00–22:00 on weekdays, closed on Sunday.
  await form.locator('input[name="sun"]').fill('');
  await form.getByRole('button', { name: 'Create resource' }).click();
  await expect(page.getByText('Resource created.')).toBeVisible();
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await hydrated(page);

  // A weekday-evening peak rule shows on the week's grid (the pricing tab).
  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  await expect(page).toHaveURL(/\/resources\/\d+\/pricing$/);
  await expect(page.getByRole('link', { name: 'Pricing', exact: true })).toHaveAttribute('aria-current', 'page');
  const pricing = page.locator('section#pricing');
  await pricing.getByLabel('Name').fill('Malam');
  for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) {
    await pricing.getByLabel(day, { exact: true }).check();
  }
  await pricing.getByLabel('From (empty = all day)').fill('17:00');
  await pricing.getByLabel('Until').fill('22:00');
  await pricing.getByLabel('Value').fill('1.5');
  await pricing.getByRole('button', { name: 'Add rule' }).click();
  await expect(pricing.getByText('Rule added.')).toBeVisible();

  const grid = page.locator('section#price-grid table.price-grid');
  const row = (hour: string) => grid.locator('tbody tr', { has: page.locator(`th:text-is("${hour}")`) });
  await expect(row('18:00').locator('td').nth(0)).toHaveText('Rp 150.000');
  await expect(row('18:00').locator('td').nth(0)).toHaveClass(/rule/);
  await expect(row('09:00').locator('td').nth(0)).toHaveText('Rp 100.000');
  await expect(row('18:00').locator('td').nth(5)).toHaveText('Rp 100.000');
  await expect(row('09:00').locator('td').nth(6)).toHaveClass(/closed/);
  await page.getByRole('button', { name: 'Next week →' }).click();
  await expect(row('18:00').locator('td').nth(0)).toHaveText('Rp 150.000');

  // A new base rate (the settings tab) re-prices the grid.
  await page.getByRole('link', { name: 'Settings & hours' }).click();
  const settings = page.locator('section#settings');
  await settings.getByLabel('Base rate per hour (Rp)').fill('120000');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('section#settings').getByRole('status')).toContainText('Settings saved');
  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  await expect(row('09:00').locator('td').nth(0)).toHaveText('Rp 120.000');
  await expect(row('18:00').locator('td').nth(0)).toHaveText('Rp 180.000');

  // Archive after the confirmation; it leaves the list and can come back.
  await page.getByRole('link', { name: 'Settings & hours' }).click();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Archive this resource' }).click();
  await expect(page.getByText('Archived: it takes no bookings.')).toBeVisible();
  await page.goto('/resources');
  await hydrated(page);
  await expect(page.locator('table.resources')).not.toContainText(name);
  await page.locator('details.archived-list summary').click();
  await page.locator('details.archived-list').getByRole('link', { name }).click();
  // The resource's own address before it is read (CI once read /resources).
  await expect(page).toHaveURL(/\/resources\/\d+$/);
  await hydrated(page);
  await expect(page.getByRole('link', { name: 'Pricing', exact: true })).toHaveCount(0);
  // Its pricing and rules addresses, typed or bookmarked, edit nothing and
  // lead back to the settings tab, where it is restored.
  const settingsUrl = page.url();
  for (const tab of ['pricing', 'rules']) {
    await page.goto(`${settingsUrl}/${tab}`);
    await hydrated(page);
    await expect(page.getByText('Archived: it takes no bookings.')).toBeVisible();
    await expect(page.locator('#pricing, #price-grid, #booking-window, #blackouts')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Restore it from its settings' })).toBeVisible();
  }
  await page.goto(settingsUrl);
  await hydrated(page);
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(page.locator('section#settings')).toBeVisible();
  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  await expect(page.locator('section#price-grid')).toBeVisible();
  await page.goto('/resources');
  await expect(page.locator('table.resources')).toContainText(name);
  expect(errors).toEqual([]);
});
