import { expect, Locator, Page, test } from '@playwright/test';
import * as fs from 'fs';
import { hydrated, signIn, watchConsole } from './helpers';

/** A Jakarta date `days` from today, as YYYY-MM-DD. */
function jakartaDate(days: number): string {
  return new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

/** Figures for the note (not assertions): appended to artifacts/budgets.json. */
function record(name: string, value: number) {
  const file = 'artifacts/budgets.json';
  const all = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  all[name] = value;
  fs.mkdirSync('artifacts', { recursive: true });
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
  console.log(`budget ${name}: ${value}`);
}

/** A server function called with the page's session, as the browser does. */
async function rpc(page: Page, name: string, form: Record<string, string>) {
  const res = await page.request.post(`/rpc/${name}`, { form });
  expect(res.ok(), `${name}: ${await res.text()}`).toBeTruthy();
  return res.json();
}

/** The y (page pixels) of `hh:mm` on the grid, from the time axis. */
async function yOf(page: Page, hh: number, mm = 0): Promise<number> {
  const label = page.locator('.hour-label', { hasText: `${String(hh).padStart(2, '0')}:00` }).first();
  const box = await label.boundingBox();
  if (!box) throw new Error(`no ${hh}:00 on the axis`);
  return box.y + box.height / 2 + mm;
}

async function drag(page: Page, x: number, fromY: number, toY: number, toX = x) {
  // Viewport coordinates: the grid must be in view (see `tall` below).
  await page.mouse.move(x, fromY);
  await page.mouse.down();
  await page.mouse.move((x + toX) / 2, (fromY + toY) / 2, { steps: 4 });
  await page.mouse.move(toX, toY, { steps: 4 });
  await page.mouse.up();
}

async function centreX(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return box.x + box.width / 2;
}

test('staff book by dragging on the week view, then move and resize; an overlap is refused', async ({ page }) => {
  // Tall enough that the whole day's grid is in view for the mouse.
  await page.setViewportSize({ width: 1280, height: 1800 });
  const errors = watchConsole(page);
  await signIn(page);
  // A day of its own, so a second run on the same database finds it free.
  const day = jakartaDate(10 + Math.floor(Math.random() * 60));
  await page.goto(`/calendar?view=week&date=${day}`);
  await hydrated(page);
  const lane = page.locator(`.day-group[data-date="${day}"] .lane-body[data-name="Futsal Court 1"]`);
  // Narrow lanes carry short headings, spelled out under the grid.
  await expect(page.locator(`.day-group[data-date="${day}"] .column-head[title="Futsal Court 1"]`)).toHaveText('FC1');
  await expect(page.getByTestId('lane-legend')).toContainText('FC1 Futsal Court 1');
  // The week scrolls sideways: bring the lane into view before each drag.
  const laneX = async () => {
    await lane.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    return centreX(lane);
  };
  let x = await laneX();

  // Drag from 10:10 to 11:20: the slot 10:00–12:00 fills the form, priced.
  // A second try if the first press came before the grid took pointers
  // (seen once in a few dozen runs; the note of issue 11 tracks it).
  for (let attempt = 0; attempt < 2; attempt++) {
    x = await laneX();
    await drag(page, x, await yOf(page, 10, 10), await yOf(page, 11, 20));
    const chosen = await page
      .getByTestId('quote')
      .filter({ hasText: '10:00–12:00' })
      .waitFor({ timeout: 5_000 })
      .then(() => true, () => false);
    if (chosen) break;
  }
  await expect(page.getByTestId('quote')).toContainText('10:00–12:00');
  await expect(page.getByTestId('quote')).toContainText('Rp 300.000');
  const form = page.locator('.new-booking');
  await form.getByLabel('Customer phone').fill('0812 7300 0001');
  await form.getByLabel('Customer name').fill('Siti Rahayu');
  await form.getByRole('button', { name: 'Book', exact: true }).click();
  const block = lane.locator('.block', { hasText: 'Siti Rahayu' });
  await expect(block).toContainText('10:00–12:00');
  // The booking's own live update redraws the week a moment later; news
  // that comes during a drag waits for the drop (test below), but a redraw
  // already on its way when the press comes still lands: let it pass.
  await page.waitForTimeout(1500);

  // Move it to 14:00 (grabbed in its middle).
  x = await laneX();
  await drag(page, x, await yOf(page, 11, 0), await yOf(page, 15, 0));
  await expect(block).toContainText('14:00–16:00');
  await page.waitForTimeout(1500);
  // Resize: its lower edge down an hour.
  await laneX();
  const edge = block.locator('.resize');
  const edgeBox = await edge.boundingBox();
  if (!edgeBox) throw new Error('no resize edge');
  await drag(page, edgeBox.x + edgeBox.width / 2, edgeBox.y + 3, edgeBox.y + 3 + 60);
  await expect(block).toContainText('14:00–17:00');

  // Another booking at 19:00; moving the first onto it is refused and it snaps back.
  await form.getByLabel('Start').fill('19:00');
  await form.getByLabel('Date').fill(day);
  await form.getByLabel('Customer phone').fill('0812 7300 0002');
  await form.getByLabel('Customer name').fill('Agus');
  await form.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(lane.locator('.block', { hasText: 'Agus' })).toBeVisible();
  // The form is ready for the next walk-in: not the last customer, and no
  // "taken" for the slot just booked.
  await expect(form.getByLabel('Customer phone')).toHaveValue('');
  await expect(form.getByLabel('Customer name')).toHaveValue('');
  await expect(page.getByTestId('quote')).not.toContainText('taken');
  await page.waitForTimeout(1500);
  x = await laneX();
  await drag(page, x, await yOf(page, 15, 0), await yOf(page, 19, 0));
  await expect(page.getByTestId('calendar-error')).toBeVisible();
  await expect(block).toContainText('14:00–17:00');
  await expect(block).not.toHaveClass(/away/);
  await page.screenshot({ path: 'artifacts/calendar-week-desktop.png', fullPage: true });
  // The browser logs the refused move's 409 itself; nothing else may appear.
  expect(errors.filter((e) => !e.includes('status of 409'))).toEqual([]);

  // A press and release without a drag opens the booking (a real mouse,
  // not a synthetic click: the grid takes the pointer only once it drags).
  await laneX();
  const box = await block.boundingBox();
  if (!box) throw new Error('no block');
  await page.mouse.move(box.x + box.width / 2, box.y + 8);
  await page.mouse.down();
  await page.mouse.up();
  await expect(page).toHaveURL(/\/bookings\/\d+$/);
  await expect(page.getByText('Siti Rahayu').first()).toBeVisible();
});

test('a booking made over the API appears on an open calendar without a reload', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  const key = await rpc(page, 'create_api_key', { name: 'e2e live' });
  const day = jakartaDate(10 + Math.floor(Math.random() * 60));
  await page.goto(`/calendar?view=week&date=${day}`);
  await hydrated(page);
  const court = await page.locator(`.day-group[data-date="${day}"] .lane-body`).first().getAttribute('data-resource');
  const started = Date.now();
  const res = await page.request.post('/api/v1/bookings', {
    headers: { Authorization: `Bearer ${key.secret}` },
    data: {
      resource_id: Number(court),
      start: `${day}T09:00:00+07:00`,
      end: `${day}T10:00:00+07:00`,
      customer_phone: '0812 7300 0003',
      customer_name: 'Dewi Lestari',
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  await expect(page.locator(`.day-group[data-date="${day}"] .block`, { hasText: 'Dewi Lestari' })).toBeVisible();
  record('api_booking_to_calendar_ms', Date.now() - started);
  expect(errors).toEqual([]);
});

test('news that arrives during a drag waits for the drop; a drop on a stale view is refused', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1800 });
  const errors = watchConsole(page);
  await signIn(page);
  const key = await rpc(page, 'create_api_key', { name: 'e2e drag live' });
  const day = jakartaDate(10 + Math.floor(Math.random() * 60));
  await page.goto(`/calendar?view=week&date=${day}`);
  await hydrated(page);
  const lanes = page.locator(`.day-group[data-date="${day}"] .lane-body`);
  const lane = lanes.first();
  const other = lanes.nth(1);
  const book = async (resource: string | null, from: string, to: string, name: string, phone: string) => {
    const res = await page.request.post('/api/v1/bookings', {
      headers: { Authorization: `Bearer ${key.secret}` },
      data: {
        resource_id: Number(resource),
        start: `${day}T${from}:00+07:00`,
        end: `${day}T${to}:00+07:00`,
        customer_phone: phone,
        customer_name: name,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
  };
  await book(await lane.getAttribute('data-resource'), '09:00', '10:00', 'Rina Held', '0812 7300 0011');
  const block = lane.locator('.block', { hasText: 'Rina Held' });
  await expect(block).toBeVisible();
  await page.waitForTimeout(1500);

  await lane.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  const x = await centreX(lane);
  await page.mouse.move(x, await yOf(page, 9, 30));
  await page.mouse.down();
  await page.mouse.move(x, await yOf(page, 11, 30), { steps: 4 });
  // Another desk books meanwhile; its news comes while the block is held.
  await book(await other.getAttribute('data-resource'), '12:00', '13:00', 'Budi Meanwhile', '0812 7300 0012');
  await page.waitForTimeout(2000);
  await expect(other.locator('.block', { hasText: 'Budi Meanwhile' })).toHaveCount(0);
  await page.mouse.move(x, await yOf(page, 15, 30), { steps: 4 });
  await page.mouse.up();
  await expect(block).toContainText('15:00–16:00');
  // Then the news is taken.
  await expect(other.locator('.block', { hasText: 'Budi Meanwhile' })).toBeVisible();
  await page.waitForTimeout(1500);

  // Another desk moves the booking while it is held here: the drop is
  // refused (the view was stale) and the other desk's move stands.
  const id = await block.getAttribute('data-booking');
  await page.mouse.move(x, await yOf(page, 15, 30));
  await page.mouse.down();
  await page.mouse.move(x, await yOf(page, 17, 30), { steps: 4 });
  await rpc(page, 'move_booking', {
    id: String(id),
    resource_id: String(await lane.getAttribute('data-resource')),
    date: day,
    start: '08:00',
    minutes: '60',
  });
  await page.mouse.move(x, await yOf(page, 19, 30), { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('calendar-error')).toBeVisible();
  await expect(block).toContainText('08:00–09:00');
  // The browser logs the refused move's 409 itself.
  expect(errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
});

test('the new-booking form follows the calendar to another day', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  const day = jakartaDate(70 + Math.floor(Math.random() * 30));
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10);
  await page.goto(`/calendar?date=${day}`);
  await hydrated(page);
  const form = page.locator('section.new-booking');
  await expect(form.getByLabel('Date')).toHaveValue(day);
  // Client-side navigation keeps the page (and the form's state) alive.
  await page.getByRole('link', { name: 'Next day →' }).click();
  await expect(page).toHaveURL(new RegExp(`date=${next}`));
  await expect(form.getByLabel('Date')).toHaveValue(next);
  expect(errors).toEqual([]);
});

test('the month view, and the calendar in Indonesian', async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page);
  await page.goto('/calendar?view=month');
  await hydrated(page);
  await expect(page.getByTestId('month')).toBeVisible();
  await page.screenshot({ path: 'artifacts/calendar-month-desktop.png', fullPage: true });
  await page.getByTestId('language').selectOption('id');
  await expect(page.getByRole('heading', { name: 'Kalender' })).toBeVisible();
  await page.goto('/calendar?view=week&date=2026-12-10');
  await expect(page.getByTestId('calendar-label')).toHaveText('7 Des – 13 Des 2026');
  await expect(page.locator('.day-head').first()).toHaveText('Sen 7');
  await expect(page.getByRole('link', { name: 'Minggu berikutnya →' })).toBeVisible();
  await page.goto('/calendar?date=2026-12-10');
  await expect(page.getByTestId('calendar-label')).toHaveText('Kamis, 10 Des 2026');
  await page.screenshot({ path: 'artifacts/calendar-day-id-desktop.png', fullPage: true });
  await hydrated(page);
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Calendar' })).toBeVisible();
  // What the server words (the day's label) follows the switch without a reload.
  await expect(page.getByTestId('calendar-label')).toHaveText('Thu 10 Dec 2026');
  expect(errors).toEqual([]);
});

test('a week with 500 bookings opens and stays usable', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchConsole(page);
  await signIn(page);
  // A fifth court, so the week has room for 500 one-hour bookings.
  const week = [jakartaDate(35 + Math.floor(Math.random() * 40))];
  const outlets = await rpc(page, 'list_outlets', {});
  const kemang = outlets.find((o: { name: string }) => o.name === 'Kemang');
  const hours = '08:00-23:00';
  await rpc(page, 'create_resource', {
    outlet_id: String(kemang.id), name: `Futsal ${Date.now()}`, kind: 'futsal', capacity: '10',
    slot_minutes: '60', min_minutes: '60', max_minutes: '120', hourly_rate: '200000',
    mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours,
  });
  await page.goto(`/calendar?view=week&date=${week[0]}&outlet=${kemang.id}`);
  await hydrated(page);
  const lanes = await page.locator('.day-group').first().locator('.lane-body').evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute('data-resource'))));
  const days = await page.locator('.day-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-date')));
  let made = 0;
  for (const date of days) {
    for (const resource of lanes) {
      for (let hour = 8; hour < 23 && made < 500; hour++) {
        const res = await page.request.post('/rpc/create_staff_booking', {
          form: {
            resource_id: String(resource), date: String(date), start: `${String(hour).padStart(2, '0')}:00`,
            minutes: '60', customer_phone: '', customer_name: '',
          },
        });
        if (res.ok()) made++;
      }
    }
  }
  expect(made).toBe(500);
  const started = Date.now();
  await page.goto(`/calendar?view=week&date=${week[0]}&outlet=${kemang.id}`);
  await hydrated(page);
  await expect.poll(() => page.locator('.calendar .block').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(500);
  record('week_500_navigation_to_interactive_ms', Date.now() - started);
  await page.screenshot({ path: 'artifacts/calendar-week-500-desktop.png' });
  expect(errors).toEqual([]);
});
