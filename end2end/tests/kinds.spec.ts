import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

/** Four random letters: one chat word, unique to this run. */
function letters(): string {
  return Array.from({ length: 4 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
}

test('an owner defines padel with its words, makes a court of it, and a customer books it by that word', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/resources');
  await hydrated(page);
  const tag = letters();
  const kinds = page.locator('section#kinds');
  const add = kinds.getByTestId('kind-add');
  await add.getByLabel('Name in English').fill(`Padel ${tag}`);
  await add.getByLabel('Name in Indonesian').fill(`Lapangan padel ${tag}`);
  await add.getByLabel('Words customers use').fill(`${tag}padel, ${tag}pdl`);
  await add.getByRole('button', { name: 'Add kind' }).click();
  await expect(kinds.getByText('Kind saved.')).toBeVisible();
  const item = kinds.locator(`li[data-kind="padel_${tag}"]`);
  await expect(item).toContainText(`${tag}padel, ${tag}pdl`);

  // The resource form offers the new kind without a reload.
  const form = page.locator('section.card', { hasText: 'Add a resource' });
  await form.getByLabel('Name', { exact: true }).fill(`Court ${tag}`);
  await form.getByLabel('Type').selectOption({ label: `Padel ${tag}` });
  await form.getByRole('button', { name: 'Create resource' }).click();
  await expect(page.getByText('Resource created.')).toBeVisible();
  await expect(page.locator('table.resources tr', { hasText: `Court ${tag}` })).toContainText(`Padel ${tag}`);
  await page.screenshot({ path: 'artifacts/kinds-desktop.png', fullPage: true });

  // A customer writes the venue's word; the bot offers that court.
  await page.goto('/simulator');
  await hydrated(page);
  await page.getByLabel("Customer's WhatsApp number").fill('+62 812 7300 0099');
  await page.getByPlaceholder('Type a message').fill(`book ${tag}padel tomorrow 7pm`);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.bubble.bot').last()).toContainText(`Court ${tag}`);

  // In use: no delete. A kind nothing uses goes after a second click.
  await page.goto('/resources');
  await hydrated(page);
  await expect(item).toContainText('In use');
  await expect(item.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await add.getByLabel('Name in English').fill(`Squash ${tag}`);
  await add.getByRole('button', { name: 'Add kind' }).click();
  const squash = kinds.locator(`li[data-kind="squash_${tag}"]`);
  await squash.getByRole('button', { name: 'Delete' }).click();
  await squash.getByRole('button', { name: 'Really delete' }).click();
  await expect(kinds.getByText('Kind deleted.')).toBeVisible();
  await expect(squash).toHaveCount(0);

  // A word another kind already answers to is refused, and named.
  await add.getByLabel('Name in English').fill(`Pickle ${tag}`);
  await add.getByLabel('Words customers use').fill(`${tag}pdl`);
  await add.getByRole('button', { name: 'Add kind' }).click();
  await expect(kinds.getByRole('alert')).toContainText(`“${tag}pdl” is already a word for “Padel ${tag}”`);

  // A built-in kind cannot be defined again.
  await add.getByLabel('Name in English').fill('Futsal');
  await add.getByRole('button', { name: 'Add kind' }).click();
  await expect(kinds.getByRole('alert')).toContainText('built in');
  // The refusal's 400 is the one console line expected.
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
});

test('the resources page and its kinds read in Indonesian and fit a phone', async ({ page }) => {
  const errors = watchConsole(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  // This browser reads Indonesian through the language cookie; the owner's
  // own choice (which other tests running now rely on) stays English.
  await page.context().addCookies([{ name: 'pesan_lang', value: 'id', url: page.url() }]);
  await page.goto('/resources');
  await hydrated(page);
  await expect(page.locator('section#kinds h2')).toHaveText('Jenis milik venue');
  await expect(page.locator('section.card', { hasText: 'Tambah lapangan atau ruang' })).toBeVisible();
  await expect(page.locator('table.resources')).toContainText('Lapangan futsal');
  const add = page.getByTestId('kind-add');
  await add.getByLabel('Nama dalam bahasa Inggris').fill('Futsal');
  await add.getByRole('button', { name: 'Tambah jenis' }).click();
  await expect(page.locator('section#kinds').getByRole('alert')).toContainText('Jenis ini sudah bawaan');
  // The word refused is named in the translation too, under the form.
  await add.getByLabel('Nama dalam bahasa Inggris').fill('Padel');
  await add.getByLabel('Kata yang dipakai pelanggan').fill('padel\njam');
  await add.getByRole('button', { name: 'Tambah jenis' }).click();
  await expect(page.locator('section#kinds').getByRole('alert')).toContainText('Setiap kata');
  await expect(page.locator('section#kinds').getByRole('alert')).toContainText('“jam”');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'artifacts/kinds-phone-id.png', fullPage: true });
  expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
});
