import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

test('an owner uploads a document, watches it indexed, adds a FAQ entry, tries a question and deletes', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.getByRole('link', { name: 'Knowledge' }).click();
  await expect(page).toHaveURL(/\/knowledge$/);
  await hydrated(page);
  const tag = `${Date.now() % 100000}`;
  const upload = page.locator('section#upload');
  await upload.getByLabel('File').setInputFiles({
    name: `house-rules-${tag}.md`,
    mimeType: 'text/markdown',
    buffer: Buffer.from(`# House rules ${tag}\n\n## Parking\nMotorbikes park at the back gate, cars in the basement (code ${tag}).\n`),
  });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(upload.getByText('Uploaded. It is being indexed.')).toBeVisible();
  const row = page.locator('[data-testid="documents"] tr', { hasText: `house-rules-${tag}.md` });
  await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await expect(row).toContainText('Ready');

  const faq = page.locator('section#faq');
  await faq.getByLabel('Question').fill(`Do you rent rackets (${tag})?`);
  await faq.getByLabel('Answer').fill('Yes, Rp 20.000 a session, at the desk.');
  await faq.getByRole('button', { name: 'Add entry' }).click();
  await expect(faq.getByText('FAQ entry added.')).toBeVisible();
  await expect(page.locator('[data-testid="documents"] tr', { hasText: `rackets (${tag})` })).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });

  const ask = page.locator('section#try');
  await ask.getByLabel('Question').fill('where do motorbikes park?');
  await ask.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('passages')).toContainText(`code ${tag}`);
  await expect(page.getByTestId('passages')).toContainText(`house-rules-${tag}.md`);
  await page.screenshot({ path: 'artifacts/knowledge-desktop.png', fullPage: true });

  // An unsupported file is refused with the server's reason.
  await upload.getByLabel('File').setInputFiles({ name: 'tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00binary') });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(upload.getByRole('alert')).toBeVisible();

  // Delete asks once more.
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Really delete' }).click();
  await expect(page.getByText('Deleted.')).toBeVisible();
  await expect(page.locator('[data-testid="documents"] tr', { hasText: `house-rules-${tag}.md` })).toHaveCount(0);
  expect(errors.filter((e) => !e.includes('status of 415'))).toEqual([]);
});
