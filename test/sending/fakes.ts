/**
 * Local fakes of the providers' APIs, over real sockets, speaking their request and response shapes and refusing
 * what the real ones refuse: Azure Communication Services Email (signed requests, repeatable requests), Twilio's
 * Messages API (Basic auth, form fields, error codes) and an SMTP relay (the commands nodemailer sends).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** How a fake behaves now. */
export interface FakeMode {
    /** Every request answered 503 (the provider is down). */
    down?: boolean;
    /** The next request is processed (sent), but its answer is held this long: the client times out. */
    holdNextAnswerMs?: number;
    /** SMTP: the connection is taken but nothing is ever said (a relay that hangs). */
    mute?: boolean;
}

/** What every HTTP fake has. */
export interface HttpFake {
    url: string;
    /** Requests received, accepted or not. */
    requests: number;
    mode: FakeMode;
    close(): Promise<void>;
}

async function listen(server: http.Server | net.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function closeServer(server: http.Server): Promise<void> {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
}

interface Answer {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

function reply(res: http.ServerResponse, answer: Answer, holdMs = 0): void {
    const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
    };
    if (holdMs) setTimeout(send, holdMs);
    else send();
}

/** An e-mail ACS took. */
export interface AcsSent {
    operationId: string;
    body: {
        senderAddress: string;
        recipients: { to: { address: string }[] };
        content: { subject: string; plainText?: string; html?: string };
        headers?: Record<string, string>;
        userEngagementTrackingDisabled?: boolean;
    };
    repeatabilityId: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADDRESS = /^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * ACS Email, POST /emails:send?api-version=2023-03-31: checks the HMAC signature (x-ms-date, host,
 * x-ms-content-sha256 with the access key), the repeatability headers (a GUID and an IMF-fixdate within five
 * minutes; a repeat of a finished request gets the first answer, a repeat with another body 400), the sender (only
 * `sender` is verified), and the recipients (InvalidEmailAddress).
 */
export async function acsFake(accessKey: string, sender: string): Promise<HttpFake & { sent: AcsSent[] }> {
    const key = Buffer.from(accessKey, 'base64');
    const seen = new Map<string, { bodyHash: string; answer?: Answer }>();
    const fake = {
        url: '', requests: 0, mode: {} as FakeMode, sent: [] as AcsSent[],
        close: () => closeServer(server),
    };
    const server = http.createServer((req, res) => {
        void readBody(req).then((text) => {
            fake.requests++;
            const hold = fake.mode.holdNextAnswerMs ?? 0;
            fake.mode.holdNextAnswerMs = undefined;
            const answer = handle(req, text);
            reply(res, answer, hold);
        });
    });
    const error = (status: number, code: string, message: string): Answer => ({
        status, body: { error: { code, message } }, headers: { 'x-ms-error-code': code },
    });
    const handle = (req: http.IncomingMessage, text: string): Answer => {
        const url = new URL(req.url ?? '/', 'http://fake');
        if (req.method !== 'POST' || url.pathname !== '/emails:send') return error(404, 'NotFound', 'Not found');
        if (url.searchParams.get('api-version') !== '2023-03-31') {
            return error(400, 'UnsupportedApiVersion', 'The api-version is not supported');
        }
        // The signature, as the service checks it.
        const date = String(req.headers['x-ms-date'] ?? '');
        const contentHash = String(req.headers['x-ms-content-sha256'] ?? '');
        const auth = String(req.headers.authorization ?? '');
        const m = /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(.+)$/.exec(auth);
        const expected = createHmac('sha256', key)
            .update(`POST\n${url.pathname}${url.search}\n${date};${req.headers.host};${contentHash}`).digest('base64');
        const bodyHash = createHash('sha256').update(text).digest('base64');
        if (!m || m[1] !== expected || contentHash !== bodyHash) {
            return error(401, 'Denied', 'Denied by the resource provider.');
        }
        if (!date || Math.abs(Date.now() - Date.parse(date)) > 15 * 60_000) {
            return error(401, 'Denied', 'The request time is not within 15 minutes of the server time.');
        }
        if (fake.mode.down) return error(503, 'ServiceUnavailable', 'The service is unavailable.');
        // Repeatable requests (OASIS Repeatable Requests 1.0, as ACS applies it).
        const repeatId = String(req.headers['repeatability-request-id'] ?? '');
        const firstSent = Date.parse(String(req.headers['repeatability-first-sent'] ?? ''));
        if (!GUID.test(repeatId) || Number.isNaN(firstSent)) {
            return error(400, 'BadRequest', 'Repeatability headers are missing or not valid.');
        }
        if (Date.now() - firstSent > 5 * 60_000) {
            return error(412, 'PreconditionFailed', 'Repeatability-First-Sent header is not within 5 minutes.');
        }
        const earlier = seen.get(repeatId);
        if (earlier) {
            if (earlier.bodyHash !== bodyHash) return error(400, 'BadRequest', 'Repeated request does not match.');
            if (!earlier.answer) return error(409, 'Conflict', 'The original request is still being processed.');
            if (earlier.answer.status < 500) return earlier.answer;
        }
        seen.set(repeatId, { bodyHash });
        const answer = accept(text, repeatId);
        seen.set(repeatId, { bodyHash, answer });
        return answer;
    };
    const accept = (text: string, repeatabilityId: string): Answer => {
        let body: AcsSent['body'];
        try {
            body = JSON.parse(text) as AcsSent['body'];
        } catch {
            return error(400, 'BadRequest', 'The request body is not valid JSON.');
        }
        if (typeof body?.content?.subject !== 'string' || !Array.isArray(body?.recipients?.to)
            || !body.recipients.to.length) {
            return error(400, 'BadRequest', 'Subject and at least one recipient are required.');
        }
        if (body.senderAddress !== sender) {
            return error(400, 'DomainNotLinked', 'The specified sender domain has not been linked.');
        }
        if (body.recipients.to.some((r) => !ADDRESS.test(r.address ?? ''))) {
            return error(400, 'InvalidEmailAddress', 'The email address is not valid.');
        }
        const operationId = randomUUID();
        fake.sent.push({ operationId, body, repeatabilityId });
        return {
            status: 202, body: { id: operationId, status: 'Running' },
            headers: { 'Operation-Location': `${fake.url}/emails/operations/${operationId}?api-version=2023-03-31` },
        };
    };
    fake.url = `http://127.0.0.1:${await listen(server)}`;
    return fake;
}

/** A text Twilio took. */
export interface TwilioSent {
    sid: string;
    To: string;
    From?: string;
    MessagingServiceSid?: string;
    Body: string;
}

/**
 * Twilio's Messages API, POST /2010-04-01/Accounts/{AccountSid}/Messages.json: Basic auth with the account's SID
 * and token (20003), the form fields (21604, 21603, 21602, 21617 over 1,600 characters), the number (21211 not a
 * number, 21614 not a mobile, 21610 replied STOP), and the I-Twilio-Idempotency-Token (a repeat gets the first
 * answer).
 */
export async function twilioFake(accountSid: string, authToken: string, stopped: string[] = [])
    : Promise<HttpFake & { sent: TwilioSent[]; tokens: string[] }> {
    const answered = new Map<string, Answer>();
    const fake = {
        url: '', requests: 0, mode: {} as FakeMode, sent: [] as TwilioSent[], tokens: [] as string[],
        close: () => closeServer(server),
    };
    const error = (status: number, code: number, message: string): Answer => ({
        status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    });
    const server = http.createServer((req, res) => {
        void readBody(req).then((text) => {
            fake.requests++;
            const hold = fake.mode.holdNextAnswerMs ?? 0;
            fake.mode.holdNextAnswerMs = undefined;
            reply(res, handle(req, text), hold);
        });
    });
    const handle = (req: http.IncomingMessage, text: string): Answer => {
        if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
            return error(404, 20404, 'The requested resource was not found');
        }
        const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return error(401, 20003, 'Authenticate');
        if (fake.mode.down) return error(503, 20500, 'Service unavailable');
        if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
            return error(400, 21602, 'Message body is required.');
        }
        const token = req.headers['i-twilio-idempotency-token'];
        if (typeof token === 'string') {
            fake.tokens.push(token);
            const earlier = answered.get(token);
            if (earlier) return earlier;
        }
        const form = new URLSearchParams(text);
        const to = form.get('To') ?? '';
        const from = form.get('From') ?? undefined;
        const service = form.get('MessagingServiceSid') ?? undefined;
        const body = form.get('Body') ?? '';
        let answer: Answer;
        if (!to) answer = error(400, 21604, 'A \'To\' phone number is required.');
        else if (!from && !service) answer = error(400, 21603, 'A \'From\' phone number is required.');
        else if (!body) answer = error(400, 21602, 'Message body is required.');
        else if (body.length > 1600) answer = error(400, 21617, 'The concatenated message body exceeds the limit.');
        else if (!/^\+[1-9]\d{7,14}$/.test(to)) answer = error(400, 21211, `Invalid 'To' Phone Number`);
        else if (to.startsWith('+44') && !to.startsWith('+447')) answer = error(400, 21614, 'Not a mobile number');
        else if (stopped.includes(to)) answer = error(400, 21610, 'Attempt to send to unsubscribed recipient');
        else {
            const sid = `SM${randomUUID().replace(/-/g, '')}`;
            fake.sent.push({ sid, To: to, From: from, MessagingServiceSid: service, Body: body });
            answer = { status: 201, body: { sid, account_sid: accountSid, to, from, body, status: 'queued' } };
        }
        if (typeof token === 'string' && answer.status < 500) answered.set(token, answer);
        return answer;
    };
    fake.url = `http://127.0.0.1:${await listen(server)}`;
    return fake;
}

/** A message the SMTP fake took. */
export interface SmtpReceived {
    from: string;
    to: string[];
    data: string;
}

/**
 * A small SMTP relay: EHLO (AUTH PLAIN LOGIN), AUTH PLAIN with one user, MAIL, RCPT (550 5.1.1 for an unknown
 * mailbox), DATA (dot-terminated), RSET, NOOP, QUIT. `down`: the greeting is 421 and the connection closes.
 */
export async function smtpFake(user: string, pass: string, unknown: string[] = [])
    : Promise<{ port: number; connections: number; received: SmtpReceived[]; mode: FakeMode; close(): Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const fake = {
        port: 0, connections: 0, received: [] as SmtpReceived[], mode: {} as FakeMode,
        close: () => {
            for (const s of sockets) s.destroy();
            return new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        fake.connections++;
        if (fake.mode.down) {
            socket.end('421 4.3.2 Service not available, closing channel\r\n');
            return;
        }
        if (fake.mode.mute) return;
        let buffer = '';
        let inData = false;
        let authed = false;
        let from = '';
        let to: string[] = [];
        const say = (line: string) => socket.write(`${line}\r\n`);
        say('220 fake.smtp.local ESMTP ready');
        socket.on('data', (chunk: Buffer) => {
            buffer += chunk.toString('utf8');
            for (;;) {
                if (inData) {
                    const end = buffer.indexOf('\r\n.\r\n');
                    if (end < 0) return;
                    const data = buffer.slice(0, end).replace(/^\.\./gm, '.');
                    buffer = buffer.slice(end + 5);
                    inData = false;
                    fake.received.push({ from, to, data });
                    from = '';
                    to = [];
                    say('250 2.0.0 Ok: queued');
                    continue;
                }
                const eol = buffer.indexOf('\r\n');
                if (eol < 0) return;
                const line = buffer.slice(0, eol);
                buffer = buffer.slice(eol + 2);
                const verb = line.split(' ')[0].toUpperCase();
                if (verb === 'EHLO') say('250-fake.smtp.local\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME');
                else if (verb === 'HELO') say('250 fake.smtp.local');
                else if (verb === 'AUTH') {
                    const [, mech, initial] = line.split(' ');
                    const decoded = Buffer.from(initial ?? '', 'base64').toString('utf8').split('\0');
                    authed = mech?.toUpperCase() === 'PLAIN' && decoded[1] === user && decoded[2] === pass;
                    say(authed ? '235 2.7.0 Authentication successful' : '535 5.7.8 Credentials invalid');
                } else if (verb === 'MAIL') {
                    if (!authed) say('530 5.7.0 Authentication required');
                    else {
                        from = /<([^>]*)>/.exec(line)?.[1] ?? '';
                        say('250 2.1.0 Ok');
                    }
                } else if (verb === 'RCPT') {
                    const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
                    if (!from) say('503 5.5.1 Error: need MAIL command');
                    else if (!ADDRESS.test(address) || unknown.includes(address)) {
                        say('550 5.1.1 Recipient address rejected: User unknown');
                    } else {
                        to.push(address);
                        say('250 2.1.5 Ok');
                    }
                } else if (verb === 'DATA') {
                    if (!to.length) say('554 5.5.1 Error: no valid recipients');
                    else {
                        inData = true;
                        say('354 End data with <CR><LF>.<CR><LF>');
                    }
                } else if (verb === 'RSET') {
                    from = '';
                    to = [];
                    say('250 2.0.0 Ok');
                } else if (verb === 'NOOP') say('250 2.0.0 Ok');
                else if (verb === 'QUIT') {
                    socket.end('221 2.0.0 Bye\r\n');
                    return;
                } else say('502 5.5.2 Error: command not recognized');
            }
        });
    });
    fake.port = await listen(server);
    return fake;
}
