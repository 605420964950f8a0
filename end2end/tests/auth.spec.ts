import { expect, test } from '@playwright/test';
import { DEMO_EMAIL, signIn, watchConsole } from './helpers';

test('pages need a session: a visitor lands on the login page', async ({ page }) => {
  await page.goto('/calendar');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('a wrong password gets a clear message and no session', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/login');
  await page.getByLabel('Email').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await page.goto('/bookings');
  await expect(page).toHaveURL(/\/login$/);
  expect(errors).toEqual([]);
});

test('the sign-in page follows the browser and can switch language without a script', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'id-ID', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Masuk' })).toBeVisible();
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await expect(page.getByRole('button', { name: 'Masuk' })).toBeVisible();
  await context.close();
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/resources');
  await expect(page).toHaveURL(/\/login$/);
});

test('staff create a resource with opening hours', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/resources');
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Tennis Court 1');
  await page.getByLabel('Type').selectOption('tennis');
  await page.getByLabel('Base rate per hour (Rp)').fill('120000');
  await page.getByLabel('Sunday').fill('');
  await page.getByRole('button', { name: 'Create resource' }).click();
  await expect(page.getByText('Resource created.')).toBeVisible();
  const row = page.locator('table.resources tr', { hasText: 'Tennis Court 1' });
  await expect(row).toContainText('Rp 120.000');
  await row.getByRole('link', { name: 'Tennis Court 1' }).click();
  await expect(page.getByLabel('Sunday')).toHaveValue('');
  await expect(page.getByLabel('Monday')).toHaveValue('08:00-22:00');
  expect(errors).toEqual([]);
});
