/** A real browser for page tests: Debian's Chromium driven by playwright-core, and an accessibility check. */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots are kept here (git-ignored) to be looked at. */
export const OUTPUT = path.join(projectRoot(), 'test-output');

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export async function launch(userDataDir: string, viewport: { width: number; height: number },
    options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
    return chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        viewport,
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        args: [
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
        ],
    });
}

/** What axe-core finds against WCAG 2.0 to 2.2, levels A and AA, on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
    // Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy allows.
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    return await page.evaluate(`axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): '
        + v.nodes.map((n) => n.target.join(' ')).join(', ')))`) as string[];
}
