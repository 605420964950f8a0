// `cargo leptos end-to-end` and scripts/test start the server but do not
// wait for it: poll /healthz until it answers (or give up after 90 s).
export default async function globalSetup() {
  const base = process.env.PESAN_E2E_URL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Pesan did not become healthy at ${base}: ${last}`);
}
