import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

test('an owner invites a front desk member, who joins by the link, changes their password, is promoted, then removed', async ({ page, browser }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/team');
  await hydrated(page);
  const who = `Desk ${Math.floor(Math.random() * 1e6)}`;
  const email = `${who.replace(' ', '').toLowerCase()}@demo.test`;
  const invite = page.locator('section#invite');
  await invite.getByLabel('Role').selectOption('staff');
  await invite.getByLabel('For whom (optional)').fill(who);
  await invite.getByRole('button', { name: 'Make invite link' }).click();
  const link = (await page.getByTestId('invite-link').textContent())!.trim();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
  await expect(page.getByTestId('open-invites')).toContainText(who);

  // The new member, signed out in their own browser.
  const theirs = await browser.newContext();
  const desk = await theirs.newPage();
  const deskErrors = watchConsole(desk);
  await desk.goto(link);
  await hydrated(desk);
  await expect(desk.getByTestId('invite-offer')).toContainText('as Front desk');
  await desk.getByLabel('Your name').fill(who);
  await desk.getByLabel('Email').fill(email);
  await desk.getByLabel('New password (at least 8 characters)').fill('first password');
  await desk.getByLabel('New password again').fill('first passwrd');
  await desk.getByRole('button', { name: 'Create my account' }).click();
  await expect(desk.getByRole('alert')).toHaveText('The two passwords differ.');
  await desk.getByLabel('Email').fill(email);
  await desk.getByLabel('New password (at least 8 characters)').fill('first password');
  await desk.getByLabel('New password again').fill('first password');
  await desk.getByRole('button', { name: 'Create my account' }).click();
  await expect(desk.getByRole('heading', { name: 'Overview' })).toBeVisible();

  // The link is spent.
  const other = await browser.newContext();
  const late = await other.newPage();
  await late.goto(link);
  await expect(late.getByTestId('invite-dead')).toBeVisible();
  await other.close();

  // Their own password, from the account page.
  await desk.goto('/account');
  await hydrated(desk);
  await desk.getByLabel('Current password').fill('first password');
  await desk.getByLabel('New password (at least 8 characters)').fill('second password');
  await desk.getByLabel('New password again').fill('second password');
  await desk.getByRole('button', { name: 'Change password' }).click();
  await expect(desk.getByText('Password changed.')).toBeVisible();
  await desk.reload();
  await hydrated(desk);
  await desk.getByLabel('Your name').fill(`${who} Dewi`);
  await desk.getByRole('button', { name: 'Save name' }).click();
  await expect(desk.getByText('Name saved.')).toBeVisible();
  await expect(desk.getByRole('heading', { name: `${who} Dewi` })).toBeVisible();

  // Front desk sees the team but cannot change it.
  await desk.goto('/team');
  await hydrated(desk);
  await expect(desk.getByTestId('team')).toContainText(email);
  await expect(desk.locator('section#invite')).toHaveCount(0);
  await expect(desk.getByRole('link', { name: 'Settings' })).toHaveCount(0);

  // The owner promotes them, then removes them.
  await page.reload();
  await hydrated(page);
  const row = page.getByTestId('member').filter({ hasText: email });
  await expect(row).toContainText(`${who} Dewi`);
  await row.getByLabel('Role').selectOption('admin');
  await row.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByText('Role changed.')).toBeVisible();
  await expect(page.getByTestId('member').filter({ hasText: email }).getByLabel('Role')).toHaveValue('admin');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByTestId('member').filter({ hasText: email }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('Removed from the team.')).toBeVisible();
  await expect(page.getByTestId('team')).not.toContainText(email);

  // Their session ended with them.
  await desk.goto('/bookings');
  await expect(desk).toHaveURL(/\/login$/);
  await theirs.close();
  expect(errors).toEqual([]);
  expect(deskErrors).toEqual([]);
});

test('an owner adds an outlet, and saves its contact number and map link', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/outlets');
  await hydrated(page);
  const name = `Bintaro ${Math.floor(Math.random() * 1e6)}`;
  const add = page.locator('section#new-outlet');
  await add.getByLabel('Name').fill(name);
  await add.getByLabel('Address').fill('Jl. Bintaro Utama 3');
  await add.getByLabel('Time zone').selectOption('Asia/Makassar');
  await add.getByRole('button', { name: 'Add outlet' }).click();
  await expect(page.getByText('Outlet added.')).toBeVisible();

  const card = page.getByTestId('outlet').filter({ has: page.getByRole('heading', { name }) });
  await card.getByLabel('Contact number').fill('0812 7777 1234');
  await card.getByLabel('Map link (https://…)').fill('javascript:alert(1)');
  await card.getByRole('button', { name: 'Save outlet' }).click();
  await expect(page.getByRole('alert')).toContainText('A map link is an https:// address');
  await card.getByLabel('Map link (https://…)').fill('https://maps.example/bintaro');
  await card.getByRole('button', { name: 'Save outlet' }).click();
  await expect(page.getByText('Outlet saved.')).toBeVisible();

  await page.reload();
  await hydrated(page);
  const saved = page.getByTestId('outlet').filter({ has: page.getByRole('heading', { name }) });
  await expect(saved.getByLabel('Contact number')).toHaveValue('+6281277771234');
  await expect(saved.getByLabel('Map link (https://…)')).toHaveValue('https://maps.example/bintaro');
  await expect(saved.getByLabel('Time zone')).toHaveValue('Asia/Makassar');
  // The browser logs the refused link's 400 itself; nothing else may appear.
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
});

test('an owner reads the settings: the bot, WhatsApp, the AI services, and a refused quiet period', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'The bot' })).toBeVisible();
  await expect(page.getByTestId('agent-state')).not.toBeEmpty();
  await expect(page.locator('section#whatsapp')).toContainText('pesan whatsapp connect');
  await expect(page.getByTestId('llm-model')).not.toBeEmpty();
  const quiet = page.getByLabel('Back to the bot after (minutes)');
  await quiet.fill('0');
  // The browser's own check stops 0; past it, the server's does too.
  await quiet.evaluate((input: HTMLInputElement) => input.removeAttribute('min'));
  await page.locator('section#bot').getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('section#bot').getByRole('alert')).toContainText('between 1 minute and 30 days');
  await quiet.fill('720');
  await page.locator('section#bot').getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('section#bot').getByRole('status')).toHaveText('Saved.');
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
});
