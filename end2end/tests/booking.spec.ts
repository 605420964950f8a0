import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

// The walking skeleton: a WhatsApp message becomes a booking on the calendar.
test('customer books futsal in the simulator and staff see it on tomorrow\'s calendar', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);

  await page.getByRole('link', { name: 'WhatsApp simulator' }).click();
  await expect(page.getByRole('heading', { name: 'WhatsApp simulator' })).toBeVisible();
  await hydrated(page);

  const phone = '+62 812 7000 0001';
  await page.getByLabel("Customer's WhatsApp number").fill(phone);
  const composer = page.getByPlaceholder('Type a message');
  await composer.fill('book futsal tomorrow 7pm');
  await page.getByRole('button', { name: 'Send' }).click();
  const offer = page.locator('.bubble.bot').last();
  await expect(offer).toContainText('19:00–20:00');
  await expect(offer).toContainText('reply YES');
  // Confirm / Change time / Cancel under the offer, as WhatsApp draws them.
  await expect(offer.getByRole('button', { name: 'Change time' })).toBeVisible();
  await offer.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.locator('.bubble.customer').last()).toContainText('Confirm');
  await expect(page.locator('.bubble.bot').last()).toContainText('Booked');
  await page.screenshot({ path: 'artifacts/simulator-buttons.png', fullPage: true });

  await page.getByRole('link', { name: 'Calendar' }).click();
  await hydrated(page);
  await page.getByRole('link', { name: 'Next day →' }).click();
  const block = page.locator('.block', { hasText: '+6281270000001' });
  await expect(block).toBeVisible();
  await expect(block).toContainText('19:00–20:00');
  await page.screenshot({ path: 'artifacts/calendar-tomorrow.png', fullPage: true });

  await page.getByRole('link', { name: 'Bookings' }).click();
  await expect(page.locator('table.bookings')).toContainText('+6281270000001');
  await expect(page.locator('table.bookings')).toContainText('Confirmed');

  expect(errors, `console errors: ${errors.join('\n')}`).toEqual([]);
});

test('the bot answers in Indonesian', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/simulator');
  await hydrated(page);
  await page.getByLabel("Customer's WhatsApp number").fill('0812 7000 0002');
  await page.getByPlaceholder('Type a message').fill('besok jam 8 malam badminton');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.bubble.bot').last()).toContainText('20.00–21.00');
  await expect(page.locator('.bubble.bot').last()).toContainText('balas YA');
  await expect(page.locator('.bubble.bot').last().getByRole('button', { name: 'Konfirmasi' })).toBeVisible();
  expect(errors).toEqual([]);
});
