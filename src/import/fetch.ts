/**
 * Reading an Open Referral API: one JSON page with retries and exponential backoff, and every page of a paginated
 * list (ORUK v1 `content` / `totalElements` / `totalPages`, HSDS 3 `contents` / `total_items` / `total_pages`).
 */
import { ImportError } from './errors';

/** How hard to try. Tests shorten the waits; the defaults suit a council's API. */
export interface FetchOptions {
    /** Attempts after the first, for network faults, timeouts, 429 and 5xx answers. */
    retries?: number;
    /** The first wait; each retry waits about twice as long as the one before. */
    backoffMs?: number;
    /** The longest wait between attempts, also for a Retry-After header. */
    maxBackoffMs?: number;
    /** How long one request may take. */
    timeoutMs?: number;
    /** How many pages at most, so an API that ignores `page` cannot loop for ever. */
    maxPages?: number;
    /** Called before each retry, to count them and to say why. */
    onRetry?: (info: { url: string; attempt: number; reason: string; waitMs: number }) => void;
    /** Called after each page with what is known so far. */
    onPage?: (info: { page: number; pages?: number; records: number; total?: number }) => void;
}

/** The defaults, frozen. */
export const FETCH_DEFAULTS = Object.freeze({
    retries: 4,
    backoffMs: 500,
    maxBackoffMs: 30_000,
    timeoutMs: 30_000,
    maxPages: 10_000,
});

/** A page of a paginated list, in whichever dialect the API speaks. */
export interface Page {
    records: unknown[];
    /** The page number the API says this is. */
    number?: number;
    pages?: number;
    total?: number;
    size?: number;
    last?: boolean;
}

/** What reading a whole list gives. */
export interface Fetched {
    records: unknown[];
    pages: number;
    retries: number;
    warnings: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A URL safe to print: no user name or password, no query (it may hold an API key). */
export function printableUrl(url: string): string {
    try {
        const u = new URL(url);
        return `${u.protocol}//${u.host}${u.pathname}`;
    } catch {
        return '(a URL that cannot be parsed)';
    }
}

function numberOf(value: unknown): number | undefined {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * Reads a JSON answer as a page: an array is one page of everything, a paginated object gives its records and
 * counts, a single service is a page of one. Undefined when it is none of these.
 */
export function asPage(json: unknown): Page | undefined {
    if (Array.isArray(json)) {
        return { records: json, last: true };
    }
    if (!json || typeof json !== 'object') {
        return undefined;
    }
    const o = json as Record<string, unknown>;
    const list = [o.content, o.contents, o.items, o.data, o.services].find(Array.isArray) as unknown[] | undefined;
    if (list) {
        const page: Page = { records: list };
        const number = numberOf(o.number ?? o.page_number ?? o.page);
        const pages = numberOf(o.totalPages ?? o.total_pages);
        const total = numberOf(o.totalElements ?? o.total_items ?? o.total);
        const size = numberOf(o.size ?? o.per_page);
        const last = o.last ?? o.last_page;
        if (number !== undefined) page.number = number;
        if (pages !== undefined) page.pages = pages;
        if (total !== undefined) page.total = total;
        if (size !== undefined) page.size = size;
        if (typeof last === 'boolean') page.last = last;
        return page;
    }
    return o.id !== undefined && o.name !== undefined ? { records: [o], last: true } : undefined;
}

/** Why an answer is worth another try, or undefined when it is not. */
function retryReason(status: number): string | undefined {
    return status === 429 || status === 408 || status >= 500 ? `the server answered ${status}` : undefined;
}

/** The wait a Retry-After header asks for, in ms. */
function retryAfterMs(header: string | null): number | undefined {
    if (!header) {
        return undefined;
    }
    const seconds = Number(header);
    if (Number.isFinite(seconds)) {
        return Math.max(0, seconds * 1000);
    }
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * One JSON document from a URL, retrying network faults, timeouts, 408, 429 and 5xx with exponential backoff and
 * jitter (and Retry-After when the server gives one). Other answers fail at once: retrying a 404 will not help.
 * @throws ImportError when the last attempt fails or the answer is not JSON.
 */
export async function fetchJson(url: string, options: FetchOptions = {}): Promise<{ json: unknown; retries: number }> {
    const { retries, backoffMs, maxBackoffMs, timeoutMs } = { ...FETCH_DEFAULTS, ...options };
    const where = printableUrl(url);
    for (let attempt = 0; ; attempt++) {
        let reason: string;
        let asked: number | undefined;
        try {
            const response = await fetch(url, {
                headers: { accept: 'application/json' },
                signal: AbortSignal.timeout(timeoutMs),
            });
            if (response.ok) {
                const text = await response.text();
                try {
                    return { json: JSON.parse(text.replace(/^\uFEFF/, '')), retries: attempt };
                } catch (error) {
                    throw new ImportError(`did not answer with JSON (${(error as Error).message})`, where);
                }
            }
            const retry = retryReason(response.status);
            await response.body?.cancel();
            if (!retry) {
                throw new ImportError(`answered ${response.status} ${response.statusText}`.trim(), where);
            }
            reason = retry;
            asked = retryAfterMs(response.headers.get('retry-after'));
        } catch (error) {
            if (error instanceof ImportError) {
                throw error;
            }
            const e = error as Error & { cause?: { code?: string } };
            reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
        }
        if (attempt >= retries) {
            throw new ImportError(`failed after ${attempt + 1} attempts (${reason})`, where);
        }
        const backoff = backoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
        const waitMs = Math.min(maxBackoffMs, asked ?? backoff);
        options.onRetry?.({ url: where, attempt: attempt + 1, reason, waitMs });
        await sleep(waitMs);
    }
}

/** The URL of another page: `page` set, and `per_page` kept or set to the size the first page reported. */
function pageUrl(url: string, page: number, size: number | undefined): string {
    const u = new URL(url);
    u.searchParams.set('page', String(page));
    if (size !== undefined && size > 0 && !u.searchParams.has('per_page')) {
        u.searchParams.set('per_page', String(size));
    }
    return u.toString();
}

/** The id of a record, to notice an API that answers every page with the same records. */
function firstId(records: readonly unknown[]): string | undefined {
    const id = (records[0] as { id?: unknown } | undefined)?.id;
    return id === undefined ? undefined : String(id);
}

/**
 * Every record of a list endpoint, following its pagination until the last page, an empty page, the total, or an
 * API that repeats a page. A page that still fails after its retries fails the whole read: a partial list would
 * make the import remove services that are still there.
 * @throws ImportError naming the URL and the page.
 */
export async function fetchAllPages(url: string, options: FetchOptions = {}): Promise<Fetched> {
    const maxPages = options.maxPages ?? FETCH_DEFAULTS.maxPages;
    const where = printableUrl(url);
    const warnings: string[] = [];
    const first = await fetchJson(url, options);
    const firstPage = asPage(first.json);
    if (!firstPage) {
        throw new ImportError('answered JSON that is neither a list of services nor a page of one', where);
    }
    const records = [...firstPage.records];
    let retries = first.retries;
    let pages = 1;
    let current = firstPage.number ?? Number(new URL(url).searchParams.get('page') ?? 1);
    let previousFirst = firstId(firstPage.records);
    const report = (page: Page): void => {
        const info: { page: number; pages?: number; records: number; total?: number } = {
            page: pages, records: records.length,
        };
        if (page.pages !== undefined) info.pages = page.pages;
        if (page.total !== undefined) info.total = page.total;
        options.onPage?.(info);
    };
    report(firstPage);
    const more = (page: Page): boolean => page.last !== true && page.records.length > 0
        && (page.pages === undefined || current < page.pages + (firstPage.number === 0 ? -1 : 0))
        && (page.total === undefined || records.length < page.total);
    let page = firstPage;
    while (more(page)) {
        if (pages >= maxPages) {
            warnings.push(`stopped after ${maxPages} pages`);
            break;
        }
        current++;
        let next: { json: unknown; retries: number };
        try {
            next = await fetchJson(pageUrl(url, current, firstPage.size), options);
        } catch (error) {
            throw new ImportError(`page ${current}: ${(error as Error).message}`);
        }
        retries += next.retries;
        const parsed = asPage(next.json);
        if (!parsed) {
            throw new ImportError(`page ${current} is not a page of services`, where);
        }
        const id = firstId(parsed.records);
        if (id !== undefined && id === previousFirst) {
            warnings.push(`page ${current} repeated the page before it: the API may ignore "page"; stopped there`);
            break;
        }
        previousFirst = id;
        records.push(...parsed.records);
        pages++;
        page = { ...parsed, pages: parsed.pages ?? firstPage.pages, total: parsed.total ?? firstPage.total };
        report(page);
    }
    return { records, pages, retries, warnings };
}
