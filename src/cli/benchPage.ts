/**
 * The page bench (the last part of `npm run bench`, or alone with `-- --page-only`): how the website chat's first
 * load feels on a cheap phone on a slow connection, measured in a real browser.
 *
 * It starts the built server (dist/src/index.js) in a child process on a free port, with a temporary data folder,
 * and opens the page at `/` in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with a 390 px
 * wide viewport, Lighthouse's "Slow 4G" network (150 ms round trip, 1.6 Mbps down, 750 kbps up, through the
 * debugging protocol's Network.emulateNetworkConditions) and a 4x CPU slowdown (Emulation.setCPUThrottlingRate).
 * Four visits in one browser profile: a first visit (empty cache), a repeat visit (a new tab), a repeat visit
 * after the server was stopped and started again (same port, same data), and a repeat visit after a new release: the
 * server started from a copy of the build whose page script (chat.js) changed, as a release that fixes the page
 * would. Every static file is kept by the browser for a year (`immutable`, named by its content's hash), so a cache a
 * day or a month old behaves as the repeat visits here do; the release visit shows that only the changed file is
 * fetched again, not the Web Chat bundle. For each it prints:
 *
 * - the bytes transferred over HTTP (encoded, headers included; Network.loadingFinished), until the full Web Chat
 *   has taken over, and how many of the requests came from the browser's cache;
 * - the time from navigation to "the welcome is visible in the conversation's log region" (the welcome's first
 *   words shown inside the page's `main` element);
 * - the time to "the resident can type" (a visible text box inside `main` that is neither disabled nor read-only);
 * - the time until the full Web Chat shows the welcome (its transcript, in `#webchat`);
 * - the longest the page's main thread was busy at once (Long Tasks): keys pressed meanwhile wait, in order.
 *
 * Times are taken in the page (performance.now() from navigation start, at the next animation frame after the DOM
 * changed), so polling from outside adds nothing. The machine's load average is printed with each run: CPU
 * throttling on a loaded machine is pessimistic. `--screenshots DIR` saves what each visit shows at the moment
 * the resident can type and once the full Web Chat is up.
 *
 * It prints numbers and asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type CDPSession } from 'playwright-core';
import { loadKnowledge } from '../knowledge';
import { projectRoot } from '../paths';
import { freePort, startServer, stopServer, type ServerProcess } from './serverProcess';

export const CHROMIUM = '/usr/bin/chromium';
/** Lighthouse's "Slow 4G" (its mobile throttling preset), as the issue measured it. */
export const SLOW_4G = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
/** Lighthouse's mobile CPU slowdown. */
export const CPU_SLOWDOWN = 4;
const VIEWPORT = { width: 390, height: 844 };
/** How long one visit may take before it is reported as not done. */
const VISIT_TIMEOUT_MS = 90_000;

/** What one visit measured; times in ms from navigation start, undefined when it never happened. */
export interface VisitResult {
    label: string;
    bytes: number;
    requests: number;
    fromCache: number;
    welcomeMs?: number;
    typeMs?: number;
    fullMs?: number;
    /** The longest the page's main thread was busy at once (keys pressed then wait, in order, not lost). */
    longestTaskMs: number;
    load: string;
}

/** What `npm run bench` passes on: `--screenshots DIR` and `--cpu N` (to compare against no CPU slowdown). */
export interface PageBenchOptions {
    /** Where to save screenshots (none when unset). */
    screenshots?: string;
    /** CPU slowdown (default 4; 1 for none). */
    cpu?: number;
}

/**
 * Runs in the page before its own scripts (through the debugging protocol, so the page's CSP does not apply): it
 * watches the DOM and notes, at the next animation frame, when the welcome is visible in `main` and when a text box
 * there can be typed in, and when the full Web Chat (`#webchat`) shows the welcome.
 */
function probe(welcomeStart: string): string {
    return `(() => {
        if (window.top !== window) return;
        const want = ${JSON.stringify(welcomeStart)};
        const marks = window.__signpostBench = {};
        const norm = (s) => (s || '').replace(/[\\u2018\\u2019]/g, "'").replace(/\\s+/g, ' ');
        const shown = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        const hasWelcome = (root) => {
            if (!root || !norm(root.textContent).includes(want)) return false;
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                if (norm(el && el.textContent).includes(want) && shown(el)) return true;
            }
            return false;
        };
        const canType = (root) => {
            if (!root) return false;
            for (const el of root.querySelectorAll('textarea, input:not([type]), input[type="text"]')) {
                if (!el.disabled && !el.readOnly && shown(el)) return true;
            }
            return false;
        };
        let queued = false;
        const check = () => {
            queued = false;
            const main = document.querySelector('main');
            const now = performance.now();
            if (marks.welcome === undefined && hasWelcome(main)) marks.welcome = now;
            if (marks.type === undefined && canType(main)) marks.type = now;
            if (marks.full === undefined && hasWelcome(document.getElementById('webchat'))) marks.full = now;
            if (marks.full !== undefined && marks.type !== undefined && marks.welcome !== undefined) observer.disconnect();
        };
        const queue = () => {
            if (queued) return;
            queued = true;
            requestAnimationFrame(check);
        };
        marks.longestTask = 0;
        try {
            new PerformanceObserver((list) => {
                for (const e of list.getEntries()) marks.longestTask = Math.max(marks.longestTask, e.duration);
            }).observe({ type: 'longtask', buffered: true });
        } catch (e) {
            // No Long Tasks API: reported as 0.
        }
        const observer = new MutationObserver(queue);
        observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
        document.addEventListener('DOMContentLoaded', queue);
    })();`;
}

async function launch(profile: string): Promise<BrowserContext> {
    return chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: VIEWPORT,
        args: [
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
        ],
    });
}

/** Counts what the network carries for one page: encoded bytes of every finished HTTP request. */
function countBytes(cdp: CDPSession): { bytes: number; requests: number; fromCache: number } {
    const counts = { bytes: 0, requests: 0, fromCache: 0 };
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
        counts.bytes += e.encodedDataLength;
        counts.requests += 1;
    });
    cdp.on('Network.requestServedFromCache', () => {
        counts.fromCache += 1;
    });
    cdp.on('Network.responseReceived', (e: { response: { fromDiskCache?: boolean } }) => {
        if (e.response.fromDiskCache) counts.fromCache += 1;
    });
    return counts;
}

async function visit(context: BrowserContext, url: string, label: string, welcomeStart: string,
    options: PageBenchOptions): Promise<VisitResult> {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpu ?? CPU_SLOWDOWN });
    const counts = countBytes(cdp);
    await page.addInitScript(probe(welcomeStart));
    const load = os.loadavg().map((n) => n.toFixed(2)).join(', ');
    await page.goto(url, { waitUntil: 'commit' });
    type Marks = { welcome?: number; type?: number; full?: number; longestTask?: number };
    const marks = async (): Promise<Marks> => await page.evaluate('window.__signpostBench || {}') as Marks;
    const deadline = Date.now() + VISIT_TIMEOUT_MS;
    let shotEarly = false;
    let m = await marks();
    while (Date.now() < deadline && (m.full === undefined || m.type === undefined || m.welcome === undefined)) {
        if (options.screenshots && !shotEarly && m.type !== undefined && m.welcome !== undefined) {
            shotEarly = true;
            await page.screenshot({ path: path.join(options.screenshots, `page-${slug(label)}-early.png`) });
        }
        await page.waitForTimeout(100);
        m = await marks();
    }
    // Whatever the page still fetches once Web Chat is up (the conversation's first requests) counts too.
    await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => undefined);
    const longestTaskMs = (await marks()).longestTask ?? 0;
    if (options.screenshots) {
        await page.screenshot({ path: path.join(options.screenshots, `page-${slug(label)}-full.png`) });
    }
    await page.close();
    return { label, ...counts, welcomeMs: m.welcome, typeMs: m.type, fullMs: m.full, longestTaskMs, load };
}

/**
 * A copy of the built project as the next release would ship it: the same build, the same Web Chat bundle, and the
 * page's own script changed (a line added), so its hashed name changes and nothing else's does. The knowledge and
 * node_modules are linked, not copied; the build is copied, since Node follows links to the real folder and the
 * server finds its files from there. Removed after the bench.
 */
export function newRelease(root: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-release-'));
    fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    for (const part of ['dist/src', 'dist/dialogs', 'dist/static', 'src/server/public']) {
        if (fs.existsSync(path.join(root, part))) {
            fs.cpSync(path.join(root, part), path.join(dir, part), { recursive: true });
        }
    }
    fs.symlinkSync(path.join(root, 'knowledge'), path.join(dir, 'knowledge'), 'dir');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.appendFileSync(path.join(dir, 'src/server/public/chat.js'), `\n// the next release (${Date.now()})\n`);
    return dir;
}

function slug(label: string): string {
    return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function seconds(ms: number | undefined): string {
    return ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`;
}

/** Runs the three visits and prints their figures; resolves to them (an empty list when Chromium is missing). */
export async function runPageBench(options: PageBenchOptions = {}): Promise<VisitResult[]> {
    if (!fs.existsSync(CHROMIUM)) {
        console.log(`\n=== website chat page === skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
        return [];
    }
    const root = projectRoot();
    const wording = loadKnowledge(path.join(root, 'knowledge')).wording;
    // The welcome's first words, as the page and the bot show them (the service's name from the default settings).
    const welcomeStart = wording.text('welcome', { serviceName: 'Signpost', stateDays: 30 }).slice(0, 24);
    if (options.screenshots) fs.mkdirSync(options.screenshots, { recursive: true });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-page-'));
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-chromium-'));
    const release = newRelease(root);
    const port = await freePort();
    const serve = async (): Promise<ServerProcess> => startServer({ port, dataDir, timeoutMs: 120_000 });
    let server = await serve();
    const context = await launch(profile);
    const results: VisitResult[] = [];
    try {
        const url = `${server.url}/`;
        results.push(await visit(context, url, 'first visit', welcomeStart, options));
        results.push(await visit(context, url, 'repeat visit', welcomeStart, options));
        await stopServer(server);
        server = await serve();
        results.push(await visit(context, url, 'repeat after restart', welcomeStart, options));
        await stopServer(server);
        server = await startServer({
            port, dataDir, timeoutMs: 120_000,
            script: { file: path.join(release, 'dist/src/index.js'), args: [], execArgv: [] },
        });
        results.push(await visit(context, url, 'after a new release', welcomeStart, options));
    } finally {
        await context.close();
        await stopServer(server);
        fs.rmSync(dataDir, { recursive: true, force: true });
        fs.rmSync(profile, { recursive: true, force: true });
        fs.rmSync(release, { recursive: true, force: true });
    }
    const cpu = options.cpu ?? CPU_SLOWDOWN;
    console.log(`\n=== website chat page (headless Chromium, ${VIEWPORT.width} px; Slow 4G: ${SLOW_4G.latency} ms `
        + `round trip, 1.6 Mbps down, 750 kbps up; CPU ${cpu}x slower) ===`);
    console.log('  aims: first visit <= 1 MB, repeat <= 50 KB (also after a restart and a new release); welcome '
        + 'visible and typing possible within 3 s');
    for (const r of results) {
        console.log(`  ${r.label.padEnd(21)} ${(r.bytes / 1024).toFixed(1).padStart(7)} KB in ${r.requests} `
            + `requests (${r.fromCache} from cache) | welcome visible ${seconds(r.welcomeMs)} | can type `
            + `${seconds(r.typeMs)} | full Web Chat shows the welcome ${seconds(r.fullMs)} | longest main-thread `
            + `task ${seconds(r.longestTaskMs)} | load average ${r.load}`);
    }
    return results;
}
