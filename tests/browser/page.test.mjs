// The search page in headless Chromium: type a query, see the passage with both words
// highlighted, filter by a source, click a month bar, open an article and see a dropped line
// with its reason; screenshots go to target/browser/. Run from .ci/run (see README):
//   cargo build --features server && (cd tests/browser && npm ci && node page.test.mjs)
// Where Chromium or playwright-core is missing it says so in one line and exits 0.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const binary = process.env.AES_SEARCH_BIN || join(root, 'target', 'debug', 'aes-search');
const shots = join(root, 'target', 'browser');

if (!existsSync(chromiumPath)) {
  console.log(`browser test skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  process.exit(0);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('browser test skipped: playwright-core is not installed (npm ci in tests/browser)');
  process.exit(0);
}
if (!existsSync(binary)) {
  console.error(`browser test: no binary at ${binary} (cargo build --features server)`);
  process.exit(1);
}

// Articles written for this test: two sources, three months, furniture to drop.
const articles = {
  'sommet.txt': 'Le Mali accueille le sommet de l’AES\n12 mars 2025\n\nSuivez Le Journal du Sahel sur Telegram\n\n' +
    'À l’horizon : la création d’une monnaie sahélienne commune, un projet qui vise l’autonomie économique des trois pays membres de la Confédération.\n\n' +
    'Les ministres des finances se retrouveront à Bamako pour préparer le calendrier de cette réforme.\n\n' +
    '© Le Journal du Sahel 2025 – Tous droits réservés\n',
  'banque.txt': 'La banque de la Confédération prend forme\n20 janvier 2025\n\nSuivez Le Journal du Sahel sur Telegram\n\n' +
    'Les experts ont remis leur rapport sur la banque commune et sur le calendrier de la monnaie des trois pays.\n\n' +
    '© Le Journal du Sahel 2025 – Tous droits réservés\n',
  'marches.txt': 'Les marchés de Niamey face à la hausse des prix\n4 juin 2024\n\n' +
    'Les commerçants de Niamey constatent une hausse du prix du riz. La monnaie revient dans les discussions des associations de la commune.\n\n' +
    '© Niger Matin 2024 – Tous droits réservés\n',
};

const work = mkdtempSync(join(tmpdir(), 'aes-search-browser-'));
const corpus = join(work, 'corpus');
mkdirSync(corpus);
for (const [name, text] of Object.entries(articles)) writeFileSync(join(corpus, name), text);
mkdirSync(shots, { recursive: true });

const server = spawn(binary, ['serve', '--addr', '127.0.0.1:0', '--corpus', corpus, '--index', join(work, 'index')],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((ok, fail) => {
  const lines = createInterface({ input: server.stdout });
  lines.once('line', (line) => {
    const m = line.match(/listening on (http:\/\/\S+)/);
    m ? ok(m[1]) : fail(new Error(`unexpected first line: ${line}`));
  });
  server.once('exit', (code) => fail(new Error(`aes-search serve exited with ${code}`)));
});

let passed = 0;
let failed = 0;
async function step(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}: ${e.message}`);
    throw e;
  }
}
function expect(cond, message) { if (!cond) throw new Error(message); }

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const outside = [];
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on('request', (r) => { if (!r.url().startsWith(base)) outside.push(r.url()); });
  await page.goto(base + '/');

  await step('typing shows the passage first with both words highlighted', async () => {
    await page.locator('#q').pressSequentially('monnaie commune', { delay: 30 });
    await page.waitForFunction(() => document.querySelector('#main .passage mark') !== null);
    await page.waitForFunction(() => new URL(location).searchParams.get('q') === 'monnaie commune');
    const first = page.locator('#main .passage').first();
    const text = await first.textContent();
    expect(text.includes('monnaie sahélienne commune'), `first passage: ${text}`);
    const marks = await first.locator('mark').allTextContents();
    expect(marks.includes('monnaie') && marks.includes('commune'), `marks: ${marks}`);
    await page.screenshot({ path: join(shots, 'results.png'), fullPage: true });
  });

  await step('a source filters the results', async () => {
    await page.selectOption('#source', 'Le Journal du Sahel');
    await page.waitForFunction(() => {
      const s = [...document.querySelectorAll('#main .source')].map((e) => e.textContent);
      return s.length > 0 && s.every((x) => x === 'Le Journal du Sahel');
    });
  });

  await step('a month bar filters on its month', async () => {
    const bars = page.locator('#chart a.bar');
    expect(await bars.count() === 2, `bars: ${await bars.count()}`);
    await page.locator('#chart a.bar[data-month="2025-01"]').click();
    await page.waitForFunction(() => {
      const dates = [...document.querySelectorAll('#main time')].map((e) => e.getAttribute('datetime'));
      return dates.length > 0 && dates.every((d) => d.startsWith('2025-01'));
    });
    expect(await page.inputValue('#since') === '2025-01', 'since is the month');
  });

  await step('an article shows a dropped line with its reason', async () => {
    await page.locator('#main h2 a').first().click();
    await page.waitForSelector('.dropped li');
    const lines = await page.locator('.dropped li').allTextContents();
    const telegram = lines.find((l) => l.includes('Telegram'));
    expect(telegram && telegram.includes('invitation à suivre'), `dropped: ${lines}`);
    const colour = await page.locator('.dropped').evaluate((e) => getComputedStyle(e).color);
    expect(colour !== 'rgb(29, 29, 31)', `dropped lines are greyed: ${colour}`);
    await page.screenshot({ path: join(shots, 'article.png'), fullPage: true });
  });

  await step('nothing was asked of another host', async () => {
    expect(outside.length === 0, `requests: ${outside}`);
  });
} catch {
  // reported by step()
} finally {
  await browser.close();
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(`screenshots in ${shots}`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
