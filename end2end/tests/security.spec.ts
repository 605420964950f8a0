import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchConsole } from './helpers';

// The Content-Security-Policy allows scripts only from the site and, for
// Leptos's inline hydration scripts, by the page's nonce: every page must
// still hydrate, with no violation reported.
test('every page hydrates under the content security policy', async ({ page }) => {
  const errors = watchConsole(page);
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const login = await page.goto('/login');
  const csp = login?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/'nonce-[A-Za-z0-9_-]{16,}'/);
  await hydrated(page);
  await signIn(page);
  for (const path of ['/', '/calendar', '/bookings', '/resources', '/simulator', '/settings/api-keys']) {
    await page.goto(path);
    await hydrated(page);
  }
  expect(errors).toEqual([]);
});
