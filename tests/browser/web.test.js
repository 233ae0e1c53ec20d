// web.test.js — the web view in headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core; no browser is downloaded).  Started by
// tests/browser/run.sh, which seeds the store, starts `seccloud web` and
// passes BASE, IDS (fixture name -> group id), PW and SHOTS in the
// environment.  Prints TAP.
//
// Expect: an analyst logs in, filters the inbox, opens an alert,
// acknowledges and closes it, and the state survives a reload; keyboard
// triage works; the XSS battery (script, attribute, javascript: URL and SVG
// payloads in messages, evidence and names) fires no dialog and shows the
// payloads as literal text; a tampered CSRF token is refused; a municipal
// user sees no other 団体's data on any page or API route and gets 404 for
// a guessed id; an analyst opens a monthly report and downloads it as CSV
// while a municipal user's Reports list holds only their 団体 (another's
// report is 404); logout ends the session.  A screenshot of every page is
// saved under SHOTS.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE = process.env.BASE;
const PW = process.env.PW;
const SHOTS = process.env.SHOTS;
const IDS = Object.fromEntries(fs.readFileSync(process.env.IDS, 'utf8')
    .trim().split('\n').map((l) => l.split(' ')));

let n = 0, failed = 0;
function ok(cond, name, diag) {
	n++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name}`);
	if (!cond) {
		failed++;
		if (diag !== undefined)
			console.log(`#   ${String(diag).slice(0, 300)}`);
	}
}

async function shot(page, name) {
	const file = path.join(SHOTS, name + '.png');
	await page.waitForLoadState('load');
	try {
		await page.screenshot({ path: file, fullPage: true });
	} catch (e) {
		// Chromium refuses a capture while a navigation is settling
		// on a loaded machine: once more after the page has loaded
		await page.waitForLoadState('load');
		await page.screenshot({ path: file, fullPage: true });
	}
}

async function login(page, user) {
	await page.context().clearCookies();
	await page.goto(BASE + '/login');
	await page.fill('#user', user);
	await page.fill('#password', PW);
	await Promise.all([page.waitForURL(/\/inbox$/), page.click('#login')]);
}

async function statusIs(page, text) {
	await page.waitForFunction((t) => {
		const e = document.querySelector('#status');
		return e !== null && e.textContent === t;
	}, text);
}

async function analyst(page) {
	await page.goto(BASE + '/login');
	await shot(page, '01-login');
	await login(page, 'alice');
	ok(/\/inbox$/.test(page.url()), 'analyst logs in and lands on the inbox');
	await shot(page, '02-inbox');
	const rows = await page.locator('#inbox tbody tr').count();
	ok(rows >= 9, `inbox lists the open groups (${rows})`);

	// filter: severity S1 only
	await page.selectOption('#f-sev', '1');
	await Promise.all([page.waitForURL(/sev=1/), page.click('#f-apply')]);
	const sevs = await page.locator('#inbox tbody .sev').allTextContents();
	ok(sevs.length >= 2 && sevs.every((s) => s.startsWith('S1')),
	    'severity filter shows only S1', sevs.join(','));
	await shot(page, '03-inbox-filtered');

	// open an alert from the inbox
	await page.goto(BASE + '/inbox');
	const id = IDS.chiyoda_ssh;
	await Promise.all([page.waitForURL(new RegExp(`/alerts/${id}$`)),
	    page.click(`a[href="/alerts/${id}"]`)]);
	ok(await page.locator('#guideline').textContent() === '2-6-2',
	    'detail shows the guideline clause');
	ok((await page.locator('#evidence pre.raw').first().textContent())
	    .includes('Failed password for admin'), 'detail shows the evidence');
	await shot(page, '04-alert');
	// the POST redirects to the same URL, so waitForURL would return at
	// once: wait for the new page's status instead (a timeout fails)
	await page.click('#ack');
	await statusIs(page, '確認済み');
	ok(await page.locator('#status').textContent() === '確認済み',
	    'acknowledged');
	await page.selectOption('#reason', 'false_positive');
	await page.fill('#note', 'scanner of the prefecture');
	await page.click('#close');
	await statusIs(page, 'クローズ');
	await page.reload();
	ok(await page.locator('#status').textContent() === 'クローズ',
	    'closed, and still closed after a reload');
	ok((await page.locator('#history').textContent())
	    .includes('scanner of the prefecture'), 'history keeps the note');
	await page.fill('#comment-body', 'checked with <b>the 団体</b>');
	await Promise.all([page.waitForURL(/#comments$/),
	    page.click('#comment-add')]);
	await page.waitForSelector('ul.comments');
	ok((await page.locator('ul.comments').textContent())
	    .includes('checked with <b>the 団体</b>'), 'comment shown as text');
	await shot(page, '05-alert-closed');
	await page.goto(BASE + '/inbox');
	ok(await page.locator(`a[href="/alerts/${id}"]`).count() === 0,
	    'closed group left the default inbox');

	// keyboard triage: j selects the first row, a acknowledges it
	const first = await page.locator('#inbox tbody tr').first()
	    .getAttribute('data-id');
	await page.keyboard.press('j');
	await Promise.all([page.waitForNavigation(), page.keyboard.press('a')]);
	const st = await page.evaluate(async (g) => (await (await fetch(
	    '/api/v1/groups/' + g)).json()).status, first);
	ok(st === 'acknowledged', 'keyboard j then a acknowledges', st);
	await page.keyboard.press('j');
	await page.keyboard.press('c');
	ok(await page.locator('#kbd-close').isVisible(),
	    'c opens the close panel');
	await shot(page, '06-inbox-keyboard-close');
	await page.keyboard.press('Escape');

	// the packet alert's hex dump, other pages
	await page.goto(BASE + '/alerts/' + IDS.chiyoda_wp);
	ok((await page.locator('pre.hex').textContent()).includes(
	    '47 45 54 20'), 'packet payload as hex');
	await shot(page, '07-alert-packet');
	for (const [p, name] of [['/sources', '08-sources'],
	    ['/dashboard', '09-dashboard'], ['/reports', '10-reports'],
	    ['/rules', '11-rules']]) {
		const r = await page.goto(BASE + p);
		ok(r.status() === 200, `${p} loads`);
		await shot(page, name);
		if (p === '/dashboard')
			ok(await page.locator('#chart-muni rect').count() > 0,
			    'dashboard draws bars');
	}
	await page.goto(BASE + '/inbox?lang=en');
	ok((await page.locator('h1').textContent()) === 'Inbox',
	    'English switch');
	await shot(page, '12-inbox-en');
	await page.goto(BASE + '/inbox?lang=ja');
}

async function xss(page) {
	const dialogs = [];
	page.on('dialog', async (d) => {
		dialogs.push(d.message());
		await d.dismiss();
	});
	const pages = ['/inbox', '/inbox?status=any', '/sources', '/dashboard',
	    '/inbox?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E'];
	for (const k of ['xss_script', 'xss_attr', 'xss_url', 'xss_svg',
	    'chiyoda_wp'])
		pages.push('/alerts/' + IDS[k]);
	for (const p of pages) {
		await page.goto(BASE + p);
		await page.waitForLoadState('load');
		const bad = await page.evaluate(() => ({
			img: document.querySelectorAll('img').length,
			svg: document.querySelectorAll('svg[onload]').length,
			js: document.querySelectorAll('a[href^="javascript:"]')
			    .length,
			inline: Array.from(document.scripts).filter(
			    (s) => !s.src).length,
		}));
		ok(bad.img + bad.svg + bad.js + bad.inline === 0,
		    `${p}: no injected elements`, JSON.stringify(bad));
	}
	const lit = [
		['xss_script', "<script>alert('xss-script')</script>"],
		['xss_attr', "\"><img src=x onerror=alert('xss-attr')>"],
		['xss_url', "javascript:alert('xss-url')"],
		['xss_svg', "<svg onload=alert('xss-svg')>"],
	];
	for (const [k, text] of lit) {
		await page.goto(BASE + '/alerts/' + IDS[k]);
		const ev = await page.locator('#evidence pre.raw').first()
		    .textContent();
		ok(ev.includes(text), `${k}: payload shown literally`, ev);
		ok((await page.locator('h1').textContent()).includes(text),
		    `${k}: title shown literally`);
		await shot(page, '13-xss-' + k);
	}
	ok(dialogs.length === 0, 'no dialog fired anywhere', dialogs.join());
}

async function csrf(page) {
	const r = await page.evaluate(async (g) => (await fetch(
	    `/api/v1/groups/${g}/triage`, { method: 'POST',
	    headers: { 'Content-Type': 'application/json' },
	    body: '{"action":"escalate"}' })).status, IDS.chiyoda_sep);
	ok(r === 403, 'API POST without the CSRF header -> 403', r);
	await page.goto(BASE + '/alerts/' + IDS.chiyoda_sep);
	await page.evaluate(() => document.querySelectorAll(
	    'input[name=csrf]').forEach((i) => { i.value = 'f'.repeat(64); }));
	const [resp] = await Promise.all([page.waitForNavigation(),
	    page.click('#escalate')]);
	ok(resp.status() === 403, 'form with a tampered token -> 403',
	    resp.status());
	await shot(page, '14-csrf-refused');
	await page.goto(BASE + '/alerts/' + IDS.chiyoda_sep);
	ok(await page.locator('#status').textContent() === '新規',
	    'refused POST changed nothing');
}

async function admin(page) {
	await login(page, 'admin');
	for (const [p, name] of [['/users', '15-users'],
	    ['/audit', '16-audit']]) {
		const r = await page.goto(BASE + p);
		ok(r.status() === 200, `admin: ${p} loads`);
		await shot(page, name);
	}
	ok((await page.locator('#audit').textContent()).includes('csrf'),
	    'audit log shows the refused CSRF');
}

const LEAK = /sapporo|札幌|011002|10\.1\.0\.1|10\.1\.1\.5/;

async function municipal(page) {
	await login(page, 'chiyoda');
	await shot(page, '17-municipal-inbox');
	const routes = ['/inbox', '/inbox?status=any', '/inbox?muni=011002',
	    '/inbox?q=brute&status=any', `/alerts/${IDS.chiyoda_ssh}`,
	    '/sources', '/dashboard', '/reports', '/api/v1/me',
	    '/api/v1/groups?status=any', '/api/v1/groups?muni=011002',
	    `/api/v1/groups/${IDS.chiyoda_ssh}`, '/api/v1/sources',
	    '/api/v1/dashboard', '/api/v1/municipalities', '/api/v1/reports'];
	for (const p of routes) {
		const r = await page.goto(BASE + p);
		const body = await r.text();
		ok(r.status() === 200 && !LEAK.test(body),
		    `municipal ${p}: 200, nothing of 札幌`, r.status());
	}
	for (const p of ['/rules', '/users', '/audit', '/api/v1/rules',
	    '/api/v1/users', '/api/v1/audit']) {
		const r = await page.goto(BASE + p);
		ok(r.status() === 403 && !LEAK.test(await r.text()),
		    `municipal ${p}: 403`, r.status());
	}
	for (const k of ['sapporo_ssh', 'sapporo_wp']) {
		for (const p of [`/alerts/${IDS[k]}`, `/api/v1/groups/${IDS[k]}`]) {
			const r = await page.goto(BASE + p);
			ok(r.status() === 404 && !LEAK.test(await r.text()),
			    `municipal guessed id ${p}: 404`, r.status());
		}
		await page.goto(BASE + '/inbox');
		const st = await page.evaluate(async (g) => {
			const t = document.querySelector(
			    'meta[name="csrf-token"]').content;
			return (await fetch(`/api/v1/groups/${g}/triage`, {
				method: 'POST', headers: {
					'Content-Type': 'application/json',
					'X-CSRF-Token': t },
				body: '{"action":"acknowledge"}' })).status;
		}, IDS[k]);
		ok(st === 404, `municipal triage of ${k}: 404`, st);
	}
	await page.goto(BASE + '/sources');
	await shot(page, '18-municipal-sources');
}

// Reports: the analyst opens a monthly report from the list and downloads
// it as CSV; the municipal user's list holds only their own 団体 and
// another 団体's report is 404.
async function reports(page) {
	await login(page, 'alice');
	await page.goto(BASE + '/reports');
	const munis = await page.locator('#report-list tbody tr')
	    .evaluateAll((rows) => rows.map((r) => r.dataset.muni));
	ok(munis.includes('131016') && munis.includes('011002'),
	    'analyst: the report list names both 団体', munis.join(','));
	await shot(page, '19-reports');
	await Promise.all([page.waitForURL(/\/reports\/monthly\?/),
	    page.click('#report-list tr[data-muni="131016"] a >> nth=0')]);
	const doc = await page.locator('#report-doc').textContent();
	ok(doc.includes('千代田区 (131016)'),
	    'analyst: the monthly report renders in the page', doc.slice(0, 200));
	ok(await page.locator('#report-doc table').count() >= 3,
	    'the report has its tables');
	await shot(page, '20-report-monthly');
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.click('#dl-csv')]);
	const name = dl.suggestedFilename();
	ok(/^seccloud-monthly-131016-\d{4}-\d{2}\.csv$/.test(name),
	    'CSV download has its file name', name);
	const csv = fs.readFileSync(await dl.path());
	ok(csv.slice(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) &&
	    csv.toString('utf8').includes('header,code,131016'),
	    'the CSV holds the report', csv.toString('utf8').slice(0, 120));

	await login(page, 'chiyoda');
	await page.goto(BASE + '/reports');
	const own = await page.locator('#report-list tbody tr')
	    .evaluateAll((rows) => rows.map((r) => r.dataset.muni));
	ok(own.length === 1 && own[0] === '131016',
	    'municipal: the report list holds only their own 団体', own.join(','));
	ok(!(await page.content()).includes('札幌'),
	    'municipal: no other 団体 on the Reports page');
	ok(await page.locator('#audit-form').count() === 0,
	    'municipal: no audit pack');
	await shot(page, '21-municipal-reports');
	const month = await page.locator('#report-month option').first()
	    .textContent();
	const r = await page.goto(
	    `${BASE}/reports/monthly?muni=011002&month=${month}`);
	ok(r.status() === 404, 'municipal: another 団体\'s report is 404',
	    r.status());
	const r2 = await page.goto(
	    `${BASE}/reports/monthly?muni=131016&month=${month}`);
	ok(r2.status() === 200, 'municipal: their own report opens');
}

async function logout(page) {
	await page.goto(BASE + '/inbox');
	await Promise.all([page.waitForURL(/\/login$/),
	    page.click('#logout')]);
	ok(/\/login$/.test(page.url()), 'logout lands on the login page');
	await page.goto(BASE + '/inbox');
	ok(/\/login$/.test(page.url()), 'after logout the inbox needs a login');
	const r = await page.goto(BASE + '/api/v1/me');
	ok(r.status() === 401, 'after logout the API says 401');
}

(async () => {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium.'));
	let ctx;
	try {
		ctx = await chromium.launchPersistentContext(profile, {
			executablePath: '/usr/bin/chromium',
			headless: true,
			viewport: { width: 1280, height: 900 },
			acceptDownloads: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu',
			    '--disable-quic', '--no-first-run',
			    '--disable-background-networking',
			    '--disable-component-update', '--disable-sync'],
		});
		const page = ctx.pages()[0] || await ctx.newPage();
		page.setDefaultTimeout(15000);
		for (const step of [analyst, xss, csrf, admin, reports,
		    municipal, logout]) {
			try {
				await step(page);
			} catch (e) {
				ok(false, `${step.name} ran to the end`, e.stack);
			}
		}
	} catch (e) {
		ok(false, 'chromium starts', e.stack);
	} finally {
		if (ctx)
			await ctx.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
})();
