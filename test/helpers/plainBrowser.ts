/** How the page's forms are sent. */
export const FORM = 'application/x-www-form-urlencoded';

/** A browser with JavaScript off, over plain HTTP: it keeps the chat's cookie and follows nothing by itself. */
export class PlainBrowser {
    cookie = '';

    constructor(private readonly url: string) {}

    async post(fields: Record<string, string>, headers: Record<string, string> = {}) {
        const res = await fetch(`${this.url}/chat`, {
            method: 'POST', redirect: 'manual',
            headers: { 'content-type': FORM, 'sec-fetch-site': 'same-origin', ...this.sent(), ...headers },
            body: new URLSearchParams(fields).toString(),
        });
        return this.took(res);
    }

    async get(path = '/chat') {
        return this.took(await fetch(`${this.url}${path}`, { redirect: 'manual', headers: this.sent() }));
    }

    /** The CSRF token in the page's forms. */
    static csrf(html: string): string {
        return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    }

    private sent(): Record<string, string> {
        return this.cookie ? { cookie: this.cookie } : {};
    }

    private async took(res: Response) {
        const setCookie = res.headers.get('set-cookie') ?? '';
        if (setCookie) {
            const [pair] = setCookie.split(';');
            this.cookie = /=$/.test(pair) || /Max-Age=0/.test(setCookie) ? '' : pair;
        }
        return { res, html: await res.text(), setCookie };
    }
}
