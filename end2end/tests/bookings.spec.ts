import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

function jakartaDate(days: number): string {
  return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

test('staff find a booking, cancel it with a reason, and export the list as CSV', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  const day = jakartaDate(20);
  const unique = `Wayan ${Date.now() % 100000}`;
  // Two bookings on that day, one for a customer with a name to search.
  const outlets = await (await page.request.post('/rpc/list_resources', { form: {} })).json();
  const court = outlets[0].id;
  // (One name per number: a customer's name is kept on their number.)
  for (const [start, name, phone] of [['08:00', unique, '0812 7400 0001'], ['09:00', 'Kadek', '0812 7400 0002']]) {
    const res = await page.request.post('/rpc/create_staff_booking', {
      form: { resource_id: String(court), date: day, start, minutes: '60', customer_phone: phone, customer_name: name },
    });
    expect(res.ok(), await res.text()).toBeTruthy();
  }
  await page.goto('/bookings');
  await hydrated(page);
  const filters = page.getByTestId('booking-filters');
  await filters.getByLabel('From', { exact: true }).fill(day);
  await filters.getByLabel('To', { exact: true }).fill(day);
  await filters.getByLabel('Name, number or code').fill(unique);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/q=Wayan/);
  const rows = page.locator('table.bookings tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(unique);

  // Cancel with a reason, from the row.
  await rows.first().getByText('Cancel…').click();
  await rows.first().getByLabel('Reason').fill('Rain, the customer asked to cancel');
  await rows.first().getByRole('button', { name: 'Cancel booking' }).click();
  await expect(rows.first()).toContainText('Cancelled');
  await page.screenshot({ path: 'artifacts/bookings-desktop.png', fullPage: true });

  // Export the day (without the search): both bookings, read back as CSV.
  await filters.getByLabel('Name, number or code').fill('');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(rows).toHaveCount(2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const path = await download.path();
  const text = require('fs').readFileSync(path, 'utf8') as string;
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe('Booking,Code,Status,Customer,Phone,Resource,Outlet,Date,Start,End,Amount,Currency,Price,Payment,Paid,Method,Channel,Created (UTC)');
  expect(lines).toHaveLength(3);
  expect(lines.find((l) => l.includes(unique))).toContain(',cancelled,');
  expect(lines.find((l) => l.includes('Kadek'))).toContain(`,${day},09:00,10:00,`);
  expect(errors).toEqual([]);
});
