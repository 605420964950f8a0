import { expect, Page, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

/** `YYYY-MM-DDTHH:MM` for a `datetime-local` field, `days` from today. */
function localInput(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

test('an owner creates an API key, uses it, and revokes it', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await hydrated(page);
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Name').fill('Kasir POS');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.locator('.api-key-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^pk_/);
  const row = page.locator('table.api-keys tr', { hasText: 'Kasir POS' });
  await expect(row).toContainText('active');

  const auth = { Authorization: `Bearer ${secret}` };
  const ok = await page.request.get('/api/v1/resources', { headers: auth });
  expect(ok.status()).toBe(200);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('Key revoked.')).toBeVisible();
  await expect(row).toContainText('revoked');
  const refused = await page.request.get('/api/v1/resources', { headers: auth });
  expect(refused.status()).toBe(401);
  expect(errors).toEqual([]);
});

test('an owner sets prices, a blackout and the booking window of a court', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/resources');
  await page.getByRole('link', { name: 'Futsal Court 2' }).click();
  await expect(page.getByRole('heading', { name: 'Futsal Court 2' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Pricing rules' })).toBeVisible();

  const pricing = page.locator('section#pricing');
  await pricing.getByLabel('Name').fill('Akhir pekan');
  await pricing.getByLabel('Sat', { exact: true }).check();
  await pricing.getByLabel('Sun', { exact: true }).check();
  await pricing.getByLabel('Value').fill('1.25');
  await pricing.getByRole('button', { name: 'Add rule' }).click();
  await expect(pricing.getByText('Rule added.')).toBeVisible();
  await expect(pricing.locator('table.rules')).toContainText('Sat, Sun: ×1.25');

  await page.getByRole('link', { name: 'Booking rules' }).click();
  const blackouts = page.locator('section#blackouts');
  // Day 86: beyond the days other tests book on at random (calendar.spec: 10–81).
  await blackouts.getByLabel('From (local time)').fill(localInput(86, 10));
  await blackouts.getByLabel('Until').fill(localInput(86, 14));
  await blackouts.getByLabel('Reason').fill('Ganti rumput');
  await blackouts.getByRole('button', { name: 'Add blackout' }).click();
  await expect(blackouts.getByText('Blackout added. No bookings were affected.')).toBeVisible();
  const row = blackouts.locator('table.blackouts tr', { hasText: 'Ganti rumput' });
  await expect(row).toContainText('10:00 – 14:00');
  await expect(row).toContainText('Futsal Court 2');
  await fitsAPhone(page, 'booking rules with a blackout');
  await row.getByRole('button', { name: 'Lift' }).click();
  await expect(blackouts.getByText('No blackouts ahead.')).toBeVisible();

  const window = page.locator('section#booking-window');
  await window.getByLabel('Buffer (minutes)').fill('15');
  await window.getByRole('button', { name: 'Save booking window' }).click();
  await expect(window.getByText('Booking window saved.')).toBeVisible();
  await page.reload();
  await expect(page.locator('section#booking-window').getByLabel('Buffer (minutes)')).toHaveValue('15');
  await page.goto(page.url().replace(/\/rules$/, '/pricing'));
  await expect(page.locator('section#pricing table.rules')).toContainText('Akhir pekan');
  await fitsAPhone(page, 'pricing with a rule');
  expect(errors).toEqual([]);
});

/** The page at a phone's 390 px is no wider than the screen (its tables
 * wrap or scroll inside their frame), then back to the desk's width. */
async function fitsAPhone(page: Page, what: string) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} is wider than a phone`).toBeLessThanOrEqual(1);
  if (before) await page.setViewportSize(before);
}

test('the front desk cancels a booking with a reason and sees it in the history', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  // A booking made by an integration, three days ahead at 10:00 Jakarta.
  const created = await page.request.post('/rpc/create_api_key', { form: { name: 'e2e' } });
  const { secret } = await created.json();
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const booked = await page.request.post('/api/v1/bookings', {
    headers: { Authorization: `Bearer ${secret}` },
    data: {
      resource_id: 1,
      start: `${day}T03:00:00Z`,
      end: `${day}T04:00:00Z`,
      customer_phone: '0812 7000 0099',
      customer_name: 'Sari',
    },
  });
  expect(booked.status()).toBe(201);
  const { id } = await booked.json();

  await page.goto(`/bookings/${id}`);
  await hydrated(page);
  await expect(page.getByRole('button', { name: 'Cancel booking' })).toBeVisible();
  // Three days ahead: no check-in or no-show yet (they open an hour before
  // the start and at the start; the booking service would refuse them).
  await expect(page.getByRole('button', { name: 'Check in' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'No-show' })).toHaveCount(0);
  await page.getByLabel('Reason').fill('Hujan deras');
  await page.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(page.getByText('Booking updated.')).toBeVisible();
  await expect(page.locator('ol.history')).toContainText('Confirmed → Cancelled');
  await expect(page.locator('ol.history')).toContainText('Hujan deras');
  await expect(page.getByRole('button', { name: 'Cancel booking' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('staff book a walk-in from the calendar and see it on the day', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await page.goto(`/calendar?date=${day}`);
  await hydrated(page);
  const form = page.locator('section.new-booking');
  await form.getByLabel('Resource').selectOption({ label: 'Futsal Court 2' });
  await form.getByLabel('Start').fill('09:00');
  await form.getByLabel('Customer phone').fill('0812 7000 0123');
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(form.getByRole('status')).toContainText('Booked Futsal Court 2');
  const lane = page.locator('.lane-body[data-name="Futsal Court 2"]');
  await expect(lane.locator('.block')).toContainText('09:00–10:00');
  // The same slot again is refused with a clear message.
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(form.getByRole('alert')).toContainText('already taken');
  // The browser logs the expected 409 itself; nothing else may appear.
  expect(errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
});
