/**
 * Reads what real feeds leave in prose: most Open Referral records have no phones, prices, schedules or eligibility
 * fields, only a description (HTML already stripped by the caller), sometimes an eligibility text and the
 * organisation's own description. Each reader returns facts with where they came from (the field and a short span
 * of its text), so a curator can check every one. Pure functions of the text; no record is logged.
 */
import type { AttendingType, DayCode } from '../knowledge/schema';
import { DAY_CODES, FOR_WHOM_KINDS } from '../knowledge/schema';
import { parseTime } from './fields';
import type { Session } from './fields';

/** One text of a record, named by the feed field it came from ("description", "eligibility", ...). */
export interface ProseText {
    field: string;
    text: string;
}

/** One fact read from prose: its value, the field it came from and a short span of the words that gave it. */
export interface Fact {
    value: string;
    from: string;
    span: string;
}

/** What a price in the prose says. `amount` only for a stated £ price. */
export interface PriceFact extends Fact {
    kind: 'amount' | 'free' | 'pay-what-you-can' | 'donation' | 'charge';
    amount?: number;
    /** Set when the text also says "free" beside a £ price: the price wins, and a curator should look. */
    contradicts?: boolean;
}

/** A schedule read from prose: a session when days and times are both stated, else plain words for the days. */
export interface ScheduleFact extends Fact {
    session?: Session;
    words?: string;
}

/** Kinds of "who it is for", as the schema names them. */
export type ForWhomKind = (typeof FOR_WHOM_KINDS)[number];

/** Who a service is for, read from prose or a supplier's audience path. */
export interface ForWhomFact extends Fact {
    kind: ForWhomKind;
    min_age?: number;
    max_age?: number;
}

/** Everything the prose readers found in one record. */
export interface ProseFacts {
    phones: Fact[];
    emails: Fact[];
    price?: PriceFact;
    delivery: (Fact & { value: AttendingType })[];
    schedules: ScheduleFact[];
    forWhom: ForWhomFact[];
    venue?: Fact;
}

const SPAN_MAX = 80;

/** A short span around a match, on word boundaries, for a curator to find the words again. */
function spanOf(text: string, start: number, end: number, pad = 20): string {
    let from = Math.max(0, start - pad);
    let to = Math.min(text.length, end + pad);
    if (from > 0) from = text.indexOf(' ', from) + 1 || from;
    if (to < text.length) {
        const space = text.lastIndexOf(' ', to);
        if (space > end) to = space;
    }
    let span = text.slice(from, to).replace(/\s+/g, ' ').trim();
    if (span.length > SPAN_MAX) span = text.slice(start, end).replace(/\s+/g, ' ').trim().slice(0, SPAN_MAX);
    return span;
}

// ---------------------------------------------------------------------------------------------------- phones

/** A UK number as written: +44 or 0, then 9-10 digits in groups; or a 116 helpline; brackets and dashes allowed. */
const PHONE = new RegExp(
    '(?<![\\d£/.])(?:\\+44\\s?\\(?0?\\)?\\s?|\\(?0)\\d{2,4}\\)?(?:[\\s-]?\\d){6,8}(?![\\d/])|(?<![\\d£])11'
    + '6[\\s-]?\\d{3}(?!\\d)', 'g');

/** Digits of a UK number in its national form ("01724297000"), or undefined when it is not one. */
function nationalDigits(raw: string): string | undefined {
    let digits = raw.replace(/\D/g, '');
    if (raw.trim().startsWith('+44')) {
        digits = `0${digits.slice(2).replace(/^0/, '')}`;
    }
    if (/^116\d{3}$/.test(digits)) return digits;
    return /^0[1-9]\d{8,9}$/.test(digits) ? digits : undefined;
}

/** The usual spacing of a UK number: 0800 123 4567, 01724 297000, 020 7946 0000, 07700 900123, 116 123. */
export function formatUkPhone(digits: string): string {
    if (digits.length === 6) return `${digits.slice(0, 3)} ${digits.slice(3)}`;
    if (/^0(?:2)/.test(digits)) return `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
    if (/^0(?:3|8|9)/.test(digits)) return `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`;
    return `${digits.slice(0, 5)} ${digits.slice(5)}`;
}

/**
 * A private person named just before a number: "Jane Smith on", "Mrs Jones", "call Sarah on". A mobile after one
 * is that person's own phone, not the service's: it is never published (a service named like a person, "Citizens
 * Advice on 0800 ...", gives a landline or a freephone number, which is kept).
 */
const PERSON_BEFORE_NUMBER = new RegExp('(?:\\b(?:Mrs?|Ms|Miss|Dr)\\.?\\s+[A-Z][a-z]+|\\b[A-Z][a-z]+\\s+[A-Z][a-z]+'
    + '|\\b(?:[Cc]all|[Rr]ing|[Tt]ext|[Cc]ontact|[Pp]hone|[Ss]peak to|[Aa]sk for)\\s+[A-Z][a-z]+)\\s*[(:,-]?\\s*(?:on|at)?'
    + '\\s*[(:]?\\s*$');

/**
 * Phone numbers in the texts, each once, in order; emergency numbers, non-UK digits and private people's mobiles
 * left out.
 */
export function readPhones(texts: readonly ProseText[]): Fact[] {
    const found: Fact[] = [];
    const seen = new Set<string>();
    for (const { field, text } of texts) {
        for (const m of text.matchAll(PHONE)) {
            const before = text.slice(Math.max(0, m.index - 25), m.index);
            if (/(?:charity|company|registration|reg\.?)\s*(?:no\.?|number)?[:.\s]*$/i.test(before)) continue;
            const digits = nationalDigits(m[0]);
            if (!digits || seen.has(digits)) continue;
            if (digits.startsWith('07') && PERSON_BEFORE_NUMBER.test(text.slice(Math.max(0, m.index - 40), m.index))) {
                continue;
            }
            seen.add(digits);
            const span = spanOf(text, m.index, m.index + m[0].length);
            found.push({ value: formatUkPhone(digits), from: field, span });
        }
    }
    return found;
}

// ---------------------------------------------------------------------------------------------------- e-mails

const EMAIL = /\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi;
/** The longest local part and domain an address may have (RFC 5321): how far around an "@" an address is looked for. */
const LOCAL_MAX = 64;
const DOMAIN_MAX = 255;

/**
 * The addresses in a text, looked for only around each "@" (EMAIL run over a whole text tries every word start up
 * to the end of its run of letters and dots: seconds on 100 KB of "a.a.a."); `index` is in the whole text.
 */
function emailsIn(text: string): { value: string; index: number }[] {
    const found: { value: string; index: number }[] = [];
    let last = -1;
    for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
        const from = Math.max(0, at - LOCAL_MAX);
        for (const m of text.slice(from, at + 1 + DOMAIN_MAX).matchAll(EMAIL)) {
            const index = from + m.index;
            if (index > at || index + m[0].length <= at || index <= last) continue;
            found.push({ value: m[0], index });
            last = index;
        }
    }
    return found;
}
/** Local parts a team or service uses. */
const ROLE_LOCAL = new RegExp('^(?:info|enquir(?:y|ies)|inquir(?:y|ies)|admin|office|hello|contact|team|help|support'
    + '|bookings?|referrals?|reception|mail|general|services?|[a-z]+(?:team|group|club|hub|project|service))\\b', 'i');
/** A person's name just before an address: "Jane Smith (", "contact Sarah on". */
const PERSON_BEFORE = new RegExp(
    '\\b(?:Mrs?|Ms|Miss|Dr)\\.?\\s+[A-Z][a-z]+|\\b[A-Z][a-z]+\\s+[A-Z][a-z]+\\s*[(:,-]?\\s*(?:on|at|'
    + 'via|email|e-mail)?\\s*[(:]?\\s*$');

/**
 * E-mail addresses of the service. An address that reads as a private person's (first.last, or right after a
 * person's name) is left out unless it is the only address given: feeds name volunteers in passing.
 */
export function readEmails(texts: readonly ProseText[]): Fact[] {
    const all: (Fact & { personal: boolean })[] = [];
    for (const { field, text } of texts) {
        for (const m of emailsIn(text)) {
            const value = m.value.toLowerCase().replace(/\.$/, '');
            if (all.some((e) => e.value === value)) continue;
            const local = value.split('@')[0] as string;
            const before = text.slice(Math.max(0, m.index - 40), m.index);
            const named = PERSON_BEFORE.test(before) && !/\b(?:email|e-mail|contact|call)\s+us\b/i.test(before);
            const personal = !ROLE_LOCAL.test(local) && (named || /^[a-z]+\.[a-z]+$/.test(local));
            all.push({ value, from: field, span: spanOf(text, m.index, m.index + m.value.length), personal });
        }
    }
    const service = all.filter((e) => !e.personal);
    return (service.length > 0 ? service : all.filter((e) => !/^[a-z]+\.[a-z]+$/.test(e.value.split('@')[0] ?? '')))
        .map(({ value, from, span }) => ({ value, from, span }));
}

// ---------------------------------------------------------------------------------------------------- prices

const PRICE = new RegExp(
    '£\\s?(\\d{1,4}(?:,\\d{3})?(?:\\.\\d{1,2})?)(?!\\d)(\\s*(?:per|a|an|each|for (?:a|an|the|each))'
    + '\\s+[a-z]+|\\s*pp\\b|\\s*each\\b)?', 'gi');
/** Words near a £ amount that make it the price of taking part. */
const PRICE_CONTEXT = new RegExp(
    '\\b(?:cost|costs|costing|price|priced|charge|charged|charges|fee|fees|entry|admission|tic'
    + 'kets?|subs|subscription|membership|just|only|pay|payable|per|sessions?|class|classes|lessons?|hours?|a'
    + 'dults?|children|concessions?|members)\\b', 'i');
/** Words near a £ amount that make it other money: grants, savings, debts, funds raised. */
const OTHER_MONEY = new RegExp(
    '\\b(?:grants?|up to|save|saved|saving|savings|raised?|raising|debts?|owe|owed|worth|award'
    + '(?:ed|s)?|fund(?:s|ing|ed)?|bursar(?:y|ies)|vouchers?|million|budget|income|benefits?|cl'
    + 'aim(?:ed)?|prize|won|spend)\\b', 'i');

/** An extra just before a £ amount: "Parking costs £3", "Refreshments £1" is not the price of taking part. */
const EXTRA_PRICE_BEFORE = new RegExp('\\b(?:parking|car park(?:ing)?|refreshments|coffee|tea and coffee|drinks|snacks'
    + '|biscuits|raffle(?: tickets?)?)(?: charges?)?(?:\\s+(?:costs?|is|are|at|charged at|available for|available at'
    + '|for))*\\s*:?\\s*$', 'i');
const PAY_WHAT = /\bpay (?:as|what) you (?:can|feel|wish|like|want)\b|\bpay[- ]as[- ]you[- ](?:can|feel)\b/i;
const DONATION = new RegExp('\\bdonations? (?:are |is )?(?:welcome|welcomed|appreciated|gratefully (?:received|accepte'
    + 'd)|encouraged|requested)\\b|\\b(?:by|voluntary|suggested|small|optional) donations?\\b|\\bdo'
    + 'nation of £', 'i');
const CHARGE = new RegExp('\\b(?:a |there is a |there\'s a )?(?:small|nominal|modest|minimal) (?:charge|fee|cost)\\b|'
    + '\\bcharges? (?:apply|may apply)\\b|\\bthere is a (?:charge|fee|cost)\\b|\\bsubsidised\\b|\\bat '
    + 'a (?:cost|charge)\\b|\\bpaid[- ]up members?\\b|\\bu3a\\b|\\bmembership (?:fee|subscription)s?'
    + '\\b|\\bannual (?:subscription|subs|membership)\\b', 'i');

/** Nouns after "free" that are extras, not the service: free parking is not a free service. */
const FREE_EXTRA = new RegExp('^[\\s-]*(?:parking|quotes?|estimates?|wi-?fi|internet|refreshments|tea|coffee|drinks?|'
    + 'biscuits|cake|snacks?|from|of (?!charge)|time|will|speech|period|standing|trial|delivery|postage|p&p|'
    + 'car park|to (?:leave|choose|park)|samples?|gifts?|prize|raffle|phone|phone ?number|call|calls|'
    + 'to call|running|flowing|range|spirit)\\b', 'i');
/** Words before "free" that make it something else: "feel free", "stress-free", "smoke free", "freephone". */
const FREE_NOT_PRICE_BEFORE = new RegExp(
    '(?:\\bfeel|\\bfeels|\\bstress|\\bhassle|\\bsmoke|\\balcohol|\\bdrug|\\bcrime|\\bcare|\\bworry|\\bpa'
    + 'in|\\bdebt|\\bduty|\\btoll|\\bscot|\\bsugar|\\bgluten|\\bdairy|\\bnut|\\bfat|\\bcarbon|\\bplastic|'
    + '\\bbarrier|\\bcash|\\bjudgement|\\bjudgment|\\bstep|\\brisk|\\blitter|\\bclutter|\\bfee|\\bhands|'
    + '\\brent|\\bmortgage|\\bdebt|\\bbreak|\\bset (?:you|them|yourself)|\\bbe|\\bbreak)[\\s-]*$', 'i');
/** "X is free": the subject when it is an extra (parking, refreshments) rather than the service. */
const EXTRA_SUBJECT = new RegExp(
    '\\b(?:parking|refreshments|tea|coffee|drinks|wi-?fi|entry to the car park|quote|quotes|es'
    + 'timate|lunch|biscuits)\\s+(?:is|are)\\s+(?:also\\s+)?(?:completely\\s+|totally\\s+|always\\s+)'
    + '?$', 'i');

/** Words after which a lone "free" says the service is free: "it is free", "completely free", "and free". */
const FREE_AFTER_VERB = new RegExp(
    '\\b(?:a|an|the|our|this|these|their|is|are|it\'s|its|totally|completely|entirely|always|al'
    + 'l|and|remain|remains|be|absolutely|also|still|for|are all|is all)\\s*$', 'i');

/** Whether "free" at `index` of `text` says the service costs nothing. */
function saysServiceFree(text: string, index: number, length: number): boolean {
    const before = text.slice(Math.max(0, index - 40), index);
    const after = text.slice(index + length, index + length + 40);
    if (FREE_NOT_PRICE_BEFORE.test(before) || EXTRA_SUBJECT.test(before) || FREE_EXTRA.test(after)) return false;
    if (/^[a-z]/i.test(text.slice(index - 1, index)) || /^[a-z]/i.test(after)) return false;
    // "Free." or "free," at the end of a clause is the service's price only after "is", "are", "completely"...:
    // after a noun it is a compound ("traffic free.", "car free,").
    const saidAlone = /^\s*(?:[.!),;]|$)/.test(after);
    if (saidAlone && /[a-z]\s*$/i.test(before) && !FREE_AFTER_VERB.test(before) && !/^\s*$/.test(before.slice(-2))) {
        return false;
    }
    if (new RegExp('^\\s*(?:of charge|to (?:attend|join|use|access|take part|participate|come|all|everyone|an'
        + 'yone|members|residents|the public|carers|families|users)|for (?:all|everyone|anyone|memb'
        + 'ers|residents|people|adults|children|families|carers|those|the|users|over|under|[a-z]+s'
        + '\\b)|service|and confidential|,? ?confidential|,? impartial|,? independent|\\.|!|\\)|,|$|\\s'
        + '*(?:weekly|monthly|daily|friendly|drop[- ]in|online|one[- ]to[- ]one|1[- ]2[- ]1|local|c'
        + 'ommunity|face|specialist|practical|independent|impartial|confidential|professional|exper'
        + 't|legal|debt|money|benefits?|healthy|hot|nutritious|family|fun|taster|guided|regular|inf'
        + 'ormal|social|group|exercise|fitness|walking|advice|support|help|counselling|classes|clas'
        + 's|courses?|sessions?|groups?|activities|activity|events?|workshops?|training|membership|'
        + 'entry|admission|access|service|services|help|information|guidance|meals?|lunch|breakfast'
        + '|food|transport|places|childcare|therapy|treatment|assessment|consultation|advocacy|befr'
        + 'iending|clinic|checks?|health|meeting|meetings|club|clubs|tuition|lessons?|programme|pla'
        + 'ce))', 'i').test(after)) {
        return true;
    }
    return /\b(?:is|are|it's|its|totally|completely|entirely|always|all|and|remain|remains|be)\s*$/i.test(before);
}

/** The price the prose states, if any: a £ price wins over every other word; "free" only for the service. */
export function readPrice(texts: readonly ProseText[]): PriceFact | undefined {
    let amount: PriceFact | undefined;
    let free: PriceFact | undefined;
    let payWhat: PriceFact | undefined;
    let donation: PriceFact | undefined;
    let charge: PriceFact | undefined;
    for (const { field, text } of texts) {
        for (const m of text.matchAll(PRICE)) {
            const before = text.slice(Math.max(0, m.index - 30), m.index);
            const after = text.slice(m.index + m[0].length, m.index + m[0].length + 25);
            const unit = m[2]?.trim();
            if (OTHER_MONEY.test(before) || EXTRA_PRICE_BEFORE.test(before) || /^\s*(?:k\b|m\b|million|of (?:debt|funding|grants?)|off\b|saving)/i.test(
                after)
                || /^[.,]?\d/.test(after)) continue;
            if (!unit && !PRICE_CONTEXT.test(before) && !PRICE_CONTEXT.test(after.slice(0, 15))) continue;
            const value = Number((m[1] as string).replace(/,/g, ''));
            if (!amount && value > 0 && value <= 10_000) {
                amount = { kind: 'amount', amount: value, value: `£${m[1]}${unit ? ` ${unit}` : ''}`, from: field,
                    span: spanOf(text, m.index, m.index + m[0].length) };
            }
        }
        for (const m of text.matchAll(new RegExp(
            '\\bfree\\b|\\bno (?:charge|cost)\\b|\\bat no cost\\b|\\bwithout charge\\b|\\bcosts? nothing\\b|\\bn'
            + 'ot cost (?:you )?anything\\b', 'gi'))) {
            const isFree = /^free$/i.test(m[0]) ? saysServiceFree(text, m.index, m[0].length) : true;
            if (isFree && !free) {
                free = { kind: 'free', value: 'free', from: field, span: spanOf(text, m.index, m.index + m[0].length) };
            }
        }
        const pay = PAY_WHAT.exec(text);
        if (pay && !payWhat) {
            payWhat = { kind: 'pay-what-you-can', value: pay[0], from: field, span: spanOf(text, pay.index, pay.index
                + pay[0].length) };
        }
        const gift = DONATION.exec(text);
        if (gift && !donation) {
            donation = { kind: 'donation', value: gift[0], from: field, span: spanOf(text, gift.index, gift.index
                + gift[0].length) };
        }
        const fee = CHARGE.exec(text);
        if (fee && !charge) {
            charge = { kind: 'charge', value: fee[0].trim(), from: field, span: spanOf(text, fee.index, fee.index
                + fee[0].length) };
        }
    }
    if (amount) return free ? { ...amount, contradicts: true } : amount;
    return payWhat ?? donation ?? charge ?? free;
}

// ---------------------------------------------------------------------------------------------------- delivery

const DELIVERY: readonly [AttendingType, RegExp][] = [
    ['phone', new RegExp('\\b(?:help ?line|advice ?line|support ?line|phone ?line|telephone ?line|listening line|(?'
        + ':tele)?phone (?:support|advice|befriending|counselling|service|calls? (?:to|with|from))|'
        + 'over the (?:tele)?phone|by (?:tele)?phone|via (?:tele)?phone|on the (?:tele)?phone(?! nu'
        + 'mbers?)|telephone befriending|text (?:service|line|support))\\b', 'i')],
    ['online', new RegExp('\\b(?:online (?:sessions?|support|groups?|meetings?|courses?|classes|chat|service|service'
        + 's|forum|community|counselling|therapy|advice|resources?|learning|training|workshops?|act'
        + 'ivities|programme|events?)|(?:via|on|using|over) (?:zoom|microsoft teams|teams|skype|vid'
        + 'eo)|video calls?|virtual (?:sessions?|groups?|meetings?|classes|events?|support|cafe|caf'
        + 'é|tours?)|virtually|webinars?|e-?learning|live ?chat|web ?chat|(?:delivered|held|run|mee'
        + 'ts?|takes? place|available|sessions are) online|online and (?:in person|face)|(?:in pers'
        + 'on|face[ -]to[ -]face) (?:and|or) online)\\b', 'i')],
    ['home-visit', new RegExp(
        '\\b(?:home[- ]visits?|home visiting|visits? (?:you |people |them |clients )?(?:in|at) (?:'
        + 'your|their|the person\'s) (?:own )?homes?|in (?:your|their) own homes?|come to your home|'
        + 'home[- ]based (?:support|care|service)|at home visits?|deliver(?:s|ed|y|ies|ing)? (?:\\w+'
        + ' )?(?:to|straight to|right to) (?:your|their|people\'s|the) (?:own )?(?:doors?|doorsteps?'
        + '|homes?|house)|doorstep deliver(?:y|ies))\\b', 'i')],
    ['in-person', new RegExp('\\b(?:drop[- ]?ins?|face[- ]to[- ]face|in[- ]person|come along|pop in|join us at|meets? ('
        + '?:at|in|every|on|weekly|fortnightly|monthly)\\b|held (?:at|in) (?:the )?[A-Z]?[a-z]*|take'
        + 's? place (?:at|in)|(?:community|village|church|parish|sports|leisure|day) (?:centre|hall'
        + '|center)|at (?:the|our) (?:centre|hall|library|church|club|venue|hub|cafe|café))', 'i')],
    // A venue's own name, capitalised ("classes at Brumby Hall"), so case matters here.
    ['in-person', new RegExp('\\b(?:based|held|hosted|run|classes|sessions?|groups?|meetings?|club|workshops?|meets) (?'
        + ':at|in) (?:the )?(?:St\\.? )?[A-Z][\\w\'’]+(?: [A-Z][\\w\'’]+)* (?:Hall|Centre|Center|Church|'
        + 'Chapel|Library|House|Club|Pavilion|School|Academy|Hub|Cafe|Café|Rooms?|Inn|Hotel|Institu'
        + 'te|Museum|Theatre|Park|Leisure Centre|Baths|Barn|Court|Lodge)\\b')],
];

/** Things people go to: a group, class, club, session, show or venue. */
const ATTENDABLE = new RegExp('\\b(?:groups?|clubs?|class(?:es)?|sessions?|meet(?:s|ings?|[- ]ups?)?|coffee mornings?|'
    + 'lunch(?:eon)? club|cafe|café|pantry|food bank|workshops?|courses?|choir|bands?|walks?|walking|games?|bingo|'
    + 'shows?|gigs?|concerts?|performances?|exhibitions?|museum|library|theatre|cinema|screenings?|hall|centre|'
    + 'venue|pavilion|park|swimming|pool|gym|matches|lessons|activities|crafts?|parties|party|toddlers?|'
    + 'stay and play|play ?group|drop[- ]?in|socials?|quiz|dance|dancing|bowls|allotments?|garden(?:ing)?)\\b', 'i');

/** The first thing people go to that the texts name, as a fact, or undefined. */
function readAttendable(texts: readonly ProseText[]): Fact | undefined {
    for (const { field, text } of texts) {
        const m = ATTENDABLE.exec(text);
        if (m) return { value: 'in-person', from: field, span: spanOf(text, m.index, m.index + m[0].length, 10) };
    }
    return undefined;
}

/** Words of booking or asking just before a phone phrase. */
const BOOKING = new RegExp('\\b(?:book(?:ing|ed)?|reserve|register|enquir(?:e|ies|y)|contact|tickets?|sign up|apply|f'
    + 'ind out more)\\b', 'i');

/** How it is delivered, as the prose says it; empty when it does not say (never "in person" by default). */
export function readDelivery(texts: readonly ProseText[]): (Fact & { value: AttendingType })[] {
    const found: (Fact & { value: AttendingType })[] = [];
    for (const [type, pattern] of DELIVERY) {
        if (found.some((f) => f.value === type)) continue;
        for (const { field, text } of texts) {
            const m = pattern.exec(text);
            // "Book on the website or over the phone": a way to book or ask, not how the service is given.
            if (m && type === 'phone' && BOOKING.test(text.slice(Math.max(0, m.index - 60), m.index))) continue;
            if (m) {
                found.push({ value: type, from: field, span: spanOf(text, m.index, m.index + m[0].length) });
                break;
            }
        }
    }
    const order: readonly AttendingType[] = ['in-person', 'online', 'phone', 'home-visit'];
    return found.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
}

// ---------------------------------------------------------------------------------------------------- venue

const VENUE_KIND = '(?:Hall|Centre|Center|Church|Chapel|Library|House|Club|Clubhouse|Pavilion|School|Academy|Hub|Cafe|'
    + 'Café|Rooms?|Inn|Hotel|Institute|Museum|Theatre|Park|Baths|Barn|Lodge|Surgery|Hospital|Arena|Stadium|Ground|'
    + 'Gardens|Farm|Chambers|Tavern|Arms|Works|Building|Bistro|Tearooms?|Studios?|Community Works|Sports Ground|'
    + 'Playing Fields?|Leisure Centre)';
/** "at Brumby Community Centre", "in St Hugh's Church Hall": a capitalised name ending in a kind of building. */
const VENUE = new RegExp(
    `\\b(?:at|in|@)\\s+(?:the\\s+)?((?:St\\.?\\s)?[A-Z][\\w'’&-]*(?:\\s(?:[A-Z][\\w'’&-]*|of|the|and|on|le|upon))*?`
    + `\\s${VENUE_KIND}(?:\\s(?:Hall|Centre|Rooms?))?)\\b`);

/** The venue the prose names ("at Brumby Community Centre"), the first one, or undefined. */
export function readVenue(texts: readonly ProseText[]): Fact | undefined {
    for (const { field, text } of texts) {
        const m = VENUE.exec(text);
        if (m && (m[1] as string).length <= 80) {
            return { value: m[1] as string, from: field, span: spanOf(text, m.index, m.index + m[0].length, 5) };
        }
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------------- schedules

const DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|(?:mon|tues?|weds?|thu|thurs?|fri|'
    + 'sat|sun)s?';
const DAY_RE = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?$/i;
const ORDINAL_WORDS: Readonly<Record<string, string>> = {
    first: 'First', '1st': 'First', second: 'Second', '2nd': 'Second', third: 'Third', '3rd': 'Third',
    fourth: 'Fourth', '4th': 'Fourth', last: 'Last', fifth: 'Fifth',
};
const FULL_DAY: Readonly<Record<DayCode, string>> = {
    MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday',
};

function dayCode(word: string): DayCode | undefined {
    const w = word.toLowerCase().replace(/s$/, '').slice(0, 2);
    return ({ mo: 'MO', tu: 'TU', we: 'WE', th: 'TH', fr: 'FR', sa: 'SA', su: 'SU' } as Record<string, DayCode>)[w];
}

/** Days from a phrase: "Monday to Friday", "Mon-Fri", "Mondays and Thursdays", "weekdays", "daily". */
function daysOf(phrase: string): DayCode[] {
    const p = phrase.toLowerCase();
    if (/\b(?:daily|every day|7 days a week|seven days a week)\b/.test(p)) return [...DAY_CODES];
    if (/\bweekdays?\b/.test(p)) return ['MO', 'TU', 'WE', 'TH', 'FR'];
    if (/\bweekends?\b/.test(p)) return ['SA', 'SU'];
    const range = new RegExp(`\\b(${DAY})\\s*(?:-|–|to|until|through|thru)\\s*(${DAY})\\b`, 'i').exec(phrase);
    if (range) {
        const a = DAY_CODES.indexOf(dayCode(range[1] as string) as DayCode);
        const b = DAY_CODES.indexOf(dayCode(range[2] as string) as DayCode);
        if (a >= 0 && b >= a) return DAY_CODES.slice(a, b + 1);
    }
    const days = new Set<DayCode>();
    for (const m of phrase.matchAll(new RegExp(`\\b(?:${DAY})\\b`, 'gi'))) {
        const code = dayCode(m[0]);
        if (code) days.add(code);
    }
    return DAY_CODES.filter((d) => days.has(d));
}

const TIME = '(?:\\d{1,2}(?:[.:]\\d{2})?\\s*(?:am|pm|a\\.m\\.|p\\.m\\.)?|noon|midday|12 noon|midnight)';
const TIME_RANGE = new RegExp(
    `(?<![\\d£.:/])(${TIME})\\s*(?:-|–|—|to|until|till|til)\\s*(${TIME})(?![\\d/%])`, 'i');

/** One end of a range as hours and minutes, and whether it said am or pm. */
function clock(text: string): { h: number; m: number; half?: 'am' | 'pm' } | undefined {
    const t = text.toLowerCase().replace(/\./g, (c, i: number) => (/\d\.\d/.test(text.slice(i - 1, i + 2)) ? ':' : ''))
        .replace(/\s+/g, '');
    if (/noon|midday/.test(t)) return { h: 12, m: 0, half: 'pm' };
    if (t === 'midnight') return { h: 0, m: 0, half: 'am' };
    const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(t);
    if (!m) return undefined;
    const out: { h: number; m: number; half?: 'am' | 'pm' } = { h: Number(m[1]), m: Number(m[2] ?? 0) };
    if (m[3]) out.half = m[3] as 'am' | 'pm';
    return out.h <= 23 && out.m <= 59 ? out : undefined;
}

function hhmm(h: number, m: number): string {
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A time range as opening and closing times, with am/pm worked out as people write them ("10 till 2pm"). */
export function readTimeRange(text: string): { opens: string; closes: string } | undefined {
    const m = TIME_RANGE.exec(text);
    if (!m) return undefined;
    const a = clock(m[1] as string);
    const b = clock(m[2] as string);
    if (!a || !b || (!a.half && !b.half && !/[:.]/.test(`${m[1]}${m[2]}`) && (a.h > 12 || b.h > 12))) return undefined;
    const to24 = (c: { h: number; m: number }, half: 'am' | 'pm'): number =>
        (c.h > 12 ? c.h : (c.h % 12) + (half === 'pm' ? 12 : 0));
    let endHalf = b.half;
    let startHalf = a.half;
    if (!endHalf && !startHalf) {
        // "9-5", "10-12", "1-3": a day's hours, read as people mean them.
        if (a.h > 12 || b.h > 12) return validRange(hhmm(a.h, a.m), hhmm(b.h, b.m));
        startHalf = a.h >= 7 && a.h <= 11 ? 'am' : 'pm';
        endHalf = b.h === 12 || (startHalf === 'am' && b.h > a.h && b.h <= 11) ? (b.h === 12 ? 'pm' : 'am') : 'pm';
    } else if (!startHalf) {
        startHalf = endHalf === 'pm' && a.h < 12 && (a.h <= b.h % 12 || b.h === 12) && a.h < 7 ? 'pm'
            : endHalf === 'pm' && a.h !== 12 && a.h <= (b.h % 12) ? 'pm' : 'am';
        if (endHalf === 'pm' && a.h >= 7 && a.h <= 11 && (b.h % 12) < a.h) startHalf = 'am';
        if (a.h === 12) startHalf = 'pm';
    } else if (!endHalf) {
        endHalf = startHalf === 'am' && b.h < a.h ? 'pm' : startHalf;
        if (b.h === 12) endHalf = 'pm';
    }
    return validRange(hhmm(to24(a, startHalf ?? 'am'), a.m), hhmm(to24(b, endHalf ?? 'pm'), b.m));
}

function validRange(opens: string, closes: string): { opens: string; closes: string } | undefined {
    return parseTime(opens) && parseTime(closes) && opens < closes ? { opens, closes } : undefined;
}

/** A cheap first test: a text without one of these has no days to read. */
const DAY_WORD = /mon|tue|wed|thu|fri|sat|sun|daily|every day|weekday|weekend|days a week/i;

const DAY_PHRASE = new RegExp(
    `\\b(?:(first|1st|second|2nd|third|3rd|fourth|4th|last|fifth)\\s+(${DAY})\\s+(?:of\\s+)?(?:the|each|every)\\s+month`
    + `|(?:(?:every|each|on|alternate|most)\\s+)?(?:${DAY})(?:\\s*(?:,|&|and|or|-|–|to|until|through)\\s*(?:${DAY}))*`
    + '|weekdays|weekends|daily|every day|7 days a week|seven days a week)\\b', 'gi');

/** How often, when no day is named: a group that meets weekly, sessions once a month (not a weekly newsletter). */
const HOW_OFTEN = new RegExp('\\b(?:(?:meets?|meeting|runs?|held|takes? place|sessions? (?:are|run)|open)\\s+'
    + '(?:(?:on\\s+)?(?:a\\s+)?)?(?:weekly|fortnightly|monthly)|every (?:week|fortnight|month|other week)|'
    + 'each (?:week|month)|once a (?:week|fortnight|month)|twice a (?:week|month)|(?:weekly|fortnightly|monthly) '
    + '(?:sessions?|groups?|meet(?:ings?|[- ]ups?)?|class(?:es)?|clubs?|gatherings?|drop[- ]?ins?|coffee mornings?|'
    + 'walks?|socials?|events?|workshops?))\\b', 'i');

/** Days and times the prose states; days without times become plain words (a schedule note). */
export function readSchedules(texts: readonly ProseText[]): ScheduleFact[] {
    const found: ScheduleFact[] = [];
    for (const { field, text } of texts) {
        for (const sentence of !DAY_WORD.test(text) ? [] : text.split(/(?<=[.!?;])\s+|\n+/)) {
            // Where the sentence starts, looked up only for a sentence that names a day (most name none).
            let offset = -1;
            for (const m of sentence.matchAll(DAY_PHRASE)) {
                if (offset < 0) offset = text.indexOf(sentence);
                const phrase = m[0];
                // A bare abbreviation ("sat", "sun", "wed") is as often a word: only a time after it makes it a day.
                const bare = /^(?:mon|tues?|weds?|thu|thurs?|fri|sat|sun)s?$/i.test(phrase) && !DAY_RE.test(phrase);
                const days = m[2] ? daysOf(m[2]) : daysOf(phrase);
                if (days.length === 0) continue;
                const ordinal = m[1] ? ORDINAL_WORDS[m[1].toLowerCase()] : undefined;
                const words = ordinal ? `${ordinal} ${FULL_DAY[days[0] as DayCode]} of the month` : undefined;
                // A time range in the rest of the sentence after the days, else just before them.
                const rest = sentence.slice(m.index + phrase.length, m.index + phrase.length + 60)
                    .split(new RegExp(`\\b(?:${DAY})\\b|\\b(?:including|except|excluding|apart from|christmas|boxing|`
                        + 'new year|bank holidays?|easter)\\b', 'i'))[0] as string;
                // "Monday 23 December": a date, so a one-off, not a weekly session.
                if (new RegExp('^\\s*(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?\\b(?!\\s*(?:[-–:.]|am|pm|to|till|until))',
                    'i').test(rest)) continue;
                // Times just before the days ("10am-12pm every Tuesday"), with nothing but a word or two between.
                const lead = new RegExp('(?:^|[^\\w])([^.;]{0,24})$').exec(sentence.slice(Math.max(0, m.index - 24),
                    m.index))?.[1] ?? '';
                const leadRange = new RegExp('(?:am|pm|noon|\\d)\\s*(?:,|on|every|each)?\\s*$', 'i').test(lead)
                    ? readTimeRange(lead) : undefined;
                const range = readTimeRange(rest) ?? leadRange;
                if (bare && !range) continue;
                const start = offset + m.index;
                const span = spanOf(text, start, start + phrase.length + (range ? Math.min(rest.length, 25) : 0), 5);
                const fact: ScheduleFact = { value: '', from: field, span };
                if (range) {
                    fact.session = { byday: days, opens_at: range.opens, closes_at: range.closes };
                    if (words) fact.session.description = words;
                    fact.value = `${days.join(',')} ${range.opens}-${range.closes}`;
                } else if (words) {
                    fact.words = words;
                    fact.value = words;
                } else {
                    // "Mondays from 9.30am": days with a start time only.
                    const start = new RegExp(
                        '^\\s*(?:,|-|–)?\\s*(?:at|from)\\s+(\\d{1,2}(?:[.:]\\d{2})?\\s*(?:am|pm)|noon|midday)',
                            'i').exec(rest);
                    const opens = start ? readTimeRange(`${start[1]} - 11:59pm`)?.opens : undefined;
                    const named = days.map((d) => FULL_DAY[d]).join(', ');
                    // A day alone is a schedule only when it recurs: "on Fridays", "every Friday", "Monday to Friday".
                    const recurs = /s$|^(?:every|each|alternate)\b|\b(?:to|until|through|-|–)\b/i.test(phrase.trim());
                    if (opens) {
                        fact.words = `${named} from ${opens}`;
                    } else if (recurs && !bare) {
                        fact.words = named;
                    } else {
                        continue;
                    }
                    fact.value = fact.words;
                }
                if (!found.some((f) => f.value === fact.value)) found.push(fact);
            }
        }
    }
    if (found.length === 0) {
        for (const { field, text } of texts) {
            const m = HOW_OFTEN.exec(text);
            if (m) {
                const words = /fortnight|every (?:other|two) weeks?/i.test(m[0]) ? 'Fortnightly'
                    : /month/i.test(m[0]) ? 'Monthly' : 'Weekly';
                found.push({ value: words, words, from: field, span: spanOf(text, m.index, m.index + m[0].length,
                    10) });
                break;
            }
        }
    }
    return found;
}

// ---------------------------------------------------------------------------------------------------- who for

const CONDITIONS = [
    'dementia', 'alzheimer\'?s', 'autism', 'autistic', 'adhd', 'diabetes', 'cancer', 'parkinson\'?s', 'stroke',
    'learning disabilit(?:y|ies)', 'physical disabilit(?:y|ies)', 'disabilit(?:y|ies)', 'sight loss',
    'visual impairments?', 'visually impaired', 'hearing loss', 'deaf(?:ness)?', 'hard of hearing',
    'multiple sclerosis', 'ms', 'copd', 'epilepsy', 'arthritis', 'long[- ]term (?:health )?conditions?',
    'mental health (?:problems|issues|conditions|needs|difficulties)', 'mental ill[- ]health', 'depression',
    'anxiety', 'eating disorders?', 'addiction', 'substance misuse', 'drug (?:and|&) alcohol (?:problems|issues)',
    'hiv', 'heart (?:disease|conditions?|failure)', 'brain injur(?:y|ies)', 'chronic pain', 'asthma',
    'down\'?s syndrome', 'cerebral palsy', 'motor neurone disease', 'mnd', 'fibromyalgia', 'tinnitus', 'aphasia',
    'sensory impairments?', 'special educational needs', 'send', 'memory (?:loss|problems)', 'bereavement',
];
const CONDITION = new RegExp(`\\b(?:living with|affected by|diagnosed with|with|who have|`
    + `suffering (?:from|with)|experiencing|recovering from|caring for someone with)\\s+(?:a |an |mild |`
        + `early[- ]stage |`
    + `(?:a )?diagnosis of )?(${CONDITIONS.join('|')})\\b`, 'gi');

const COMMUNITIES: readonly [string, RegExp][] = [
    ['young carers', /\byoung carers?\b/i],
    ['carers', /\b(?<!young )carers\b|\bunpaid carers?\b/i],
    ['veterans', /\bveterans?\b|\bex[- ]service(?:men|women|people)?\b|\barmed forces\b/i],
    ['LGBT+', /\blgbt[qia+]*\b|\bgay\b|\blesbian\b|\btransgender\b|\bqueer\b/i],
    ['refugees and asylum seekers', /\brefugees?\b|\basylum seekers?\b/i],
    ['ethnic minority communities', /\bbame\b|\bblack and (?:asian|minority ethnic)\b|\bethnic minorit(?:y|ies)\b/i],
    ['parents', /\bparents?\b(?! (?:of|and carers))|\bmums?\b|\bdads?\b/i],
    ['families', /\bfamilies\b/i],
    ['older people', /\bolder (?:people|adults|residents)\b|\bthe elderly\b|\bpensioners\b|\bsenior citizens\b/i],
    ['young people', /\byoung people\b|\byouth\b|\bteenagers\b/i],
    ['children', /\bchildren\b|\bkids\b|\btoddlers\b|\bbabies\b/i],
    ['people who are homeless', /\bhomeless(?:ness)?\b|\brough sleep(?:ers|ing)\b/i],
    ['students', /\bstudents\b/i],
    ['people out of work', /\bunemployed\b|\bjob ?seekers\b|\bout of work\b/i],
    ['members', /\bmembers only\b|\bpaid[- ]up members\b|\bonly (?:open )?(?:to|for) members\b|\bu3a members\b/i],
];

/** Words just before a community that make it who the service is for ("support for carers"), not a passing word. */
const FOR_CONTEXT = new RegExp(
    '\\b(?:for|supports?|supporting|helps?|helping|aimed at|open to|welcomes?|welcoming|who ar'
    + 'e|designed for|dedicated to|only|run by and for|serving|serves)\\s+(?:(?:all|local|any|yo'
    + 'ung|new|unpaid|adult|male|female|older|single|lone|working|isolated|vulnerable|disabled|'
    + 'the)\\s+){0,2}(?:[\\w\'’-]+(?:,|\\s+and|\\s+or|\\s*&|\\s*\\/)\\s*){0,3}$', 'i');

/** Words one of which a text must hold for a community's pattern to be worth running (lower case). */
const COMMUNITY_KEYS: Readonly<Record<string, readonly string[]>> = {
    'young carers': ['carer'], carers: ['carer'], veterans: ['veteran', 'service', 'armed forces'],
    'LGBT+': ['lgbt', 'gay', 'lesbian', 'trans', 'queer'], 'refugees and asylum seekers': ['refugee', 'asylum'],
    'ethnic minority communities': ['bame', 'black and', 'ethnic'], parents: ['parent', 'mum', 'dad'],
    families: ['families'], 'older people': ['older', 'elderly', 'pensioner', 'senior'],
    'young people': ['young people', 'youth', 'teenager'], children: ['children', 'kids', 'toddler', 'babies'],
    'people who are homeless': ['homeless', 'rough sleep'], students: ['students'],
    'people out of work': ['unemployed', 'seeker', 'out of work'], members: ['members', 'u3a'],
};

/** The same patterns, global, compiled once, with their key words: they run on every record. */
const COMMUNITIES_GLOBAL: readonly [string, RegExp, readonly string[]][] = COMMUNITIES.map(([value, re]) => [
    value, new RegExp(re.source, 'gi'), COMMUNITY_KEYS[value] ?? [''],
]);

const ALL_KEYS = [...new Set(Object.values(COMMUNITY_KEYS).flat())].filter((k) => k !== '');
/**
 * Keys that start another key ("parent" would start "parents"): a scan reports one key per place, so these are
 * looked for on their own. None today; kept so a new key cannot be missed.
 */
const KEYS_INSIDE_OTHERS = ALL_KEYS.filter((k) => ALL_KEYS.some((other) => other !== k && other.startsWith(k)));
/** Every other key, found at each place in one pass (a lookahead, so overlapping keys are all seen). */
const KEY_SCAN = new RegExp(`(?=(${ALL_KEYS.filter((k) => !KEYS_INSIDE_OTHERS.includes(k))
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}))`, 'g');

/** The community keys a lower-cased text holds: the same answer as testing each with includes, in one pass. */
function communityKeysIn(lower: string): Set<string> {
    const found = new Set<string>(['']);
    for (const m of lower.matchAll(KEY_SCAN)) found.add(m[1] as string);
    for (const key of KEYS_INSIDE_OTHERS) {
        if (lower.includes(key)) found.add(key);
    }
    return found;
}

/**
 * A place name of capitalised words, "upon", "on", "le"... between. "St" needs no alternative of its own: a capitalised
 * word already matches it, and two ways to match each "St" made a run of them that names no place exponential.
 */
const PLACE_NAME = "[A-Z][a-z'’]+(?:[- ](?:upon|on|le|by|in|under|[A-Z][a-z'’]+))*";
const CATCHMENT = new RegExp(`\\b(?:residents of|resident in|living in|who live in|people in|those in|live or work in|`
    + `lives? in|based in|registered with (?:a )?gp in)\\s+(?:the\\s+)?(${PLACE_NAME}`
    + `(?:(?:,\\s*|\\s+(?:and|or)\\s+)${PLACE_NAME})*)(?:\\s+(?:area|district|borough|villages?))?`, 'g');
const CATCHMENT_AFTER = new RegExp(`\\b(${PLACE_NAME})\\s+residents\\b`, 'g');
const NOT_PLACE = /^(?:The|Our|Your|A|An|This|That|Their|His|Her|Fear|Poverty|We|You|They|It|In|On|At|All|Any|Some)\b/;

/** The age patterns, compiled once (global: each is run with matchAll, which copies it). */
const AGE_PATTERNS: readonly [RegExp, (m: RegExpMatchArray) => [number | undefined, number | undefined]][] = [
    [new RegExp('\\b(?:aged?s?|between the ages of|between|from)\\s+(\\d{1,2})\\s*(?:-|–|to|and)\\s*(\\d{1,2})('
        + '?:\\s*(?:years?|yrs?))?\\b', 'gi'),
        (m) => [Number(m[1]), Number(m[2])]],
    [new RegExp('\\b(\\d{1,2})\\s*(?:-|–|to)\\s*(\\d{1,2})\\s*(?:years?|yrs?|year olds?)(?:\\s*old)?\\b', 'gi'), (
        m) => [Number(m[1]), Number(m[2])]],
    [new RegExp('\\b(?:aged?s?\\s+)?(\\d{1,2})\\s*(?:\\+|plus\\b|years? (?:old )?(?:and|or) (?:over|above|older'
        + ')|(?:and|or) (?:over|above|older))', 'gi'),
        (m) => [Number(m[1]), undefined]],
    [new RegExp('\\b(?:over the age of|(?:aged|people|adults|anyone|anybody|those|everyone|individuals|res'
        + 'idents|men|women|for) over) (\\d{1,2})(?:[\'’]?s)?\\b(?![,.]?\\d)', 'gi'),
        (m) => [Number(m[1]), undefined]],
    [/\bover[- ](\d{1,2})['’]?s\b/gi, (m) => [Number(m[1]), undefined]],
    [new RegExp('\\b(?:(?:aged|children|kids|people|babies|those) (?:under|up to|below)|under the age of|u'
        + 'p to the age of|under[- ](?=\\d{1,2}[\'’]?s\\b))\\s*(\\d{1,2})(?:[\'’]?s\\b|\\s*years?\\b)?(?![,.'
        + ']?\\d)', 'gi'),
        (m) => [undefined, Number(m[1])]],
    [/\b(?:aged?|ages)\s+(\d{1,2})\b(?!\s*(?:-|–|to|\+|and|or))/gi, (m) => [Number(m[1]), Number(m[1])]],
];

function ageFacts(field: string, text: string): ForWhomFact[] {
    const found: ForWhomFact[] = [];
    const add = (min: number | undefined, max: number | undefined, start: number, end: number): void => {
        if ((min !== undefined && (min < 0 || min > 110)) || (max !== undefined && (max < 1 || max > 120))) return;
        if (min !== undefined && max !== undefined && max <= min) return;
        const value = min !== undefined && max !== undefined ? `${min}-${max}` : min !== undefined ? `${min}+`
            : `up to ${max}`;
        if (found.some((f) => f.value === value)) return;
        const fact: ForWhomFact = { kind: 'age', value, from: field, span: spanOf(text, start, end, 10) };
        if (min !== undefined) fact.min_age = min;
        if (max !== undefined) fact.max_age = max;
        found.push(fact);
    };
    // Each character an earlier match took: a match is checked over its own few characters, not against every
    // match before it (which was quadratic: seconds for a long text of "+44" or "aged 18").
    const taken = new Uint8Array(text.length);
    for (const [re, read] of AGE_PATTERNS) {
        for (const m of text.matchAll(re)) {
            const start = m.index;
            const end = start + m[0].length;
            if (taken.subarray(start, end).includes(1)) continue;
            if (/£\s*$/.test(text.slice(Math.max(0, start - 2), start))) continue;
            taken.fill(1, start, end);
            const [min, max] = read(m);
            add(min, max === undefined ? undefined : max, start, end);
        }
    }
    return found;
}

/** A cheap first test: only a text with one of these words can say women or men only. */
const GENDER_WORD = /\b(?:wom|lad|fem|mum|moth|girl|men|male|gent|dad|fath|boy)/i;
/** A cheap first test for a catchment: one of its lead words. */
const CATCHMENT_WORD = /\b(?:resident|living|live|lives|people in|those in|based|registered|within)\b/i;

/** Women and men both named: neither is "only". */
const BOTH_GENDERS = new RegExp(
    '\\b(?:women|ladies|females?)\\s+(?:and|&|or)\\s+(?:men|gentlemen|males?)\\b|\\b(?:men|males?)'
    + '\\s+(?:and|&|or)\\s+(?:women|ladies|females?)\\b', 'i');
/** A service for women only. */
const WOMEN_ONLY = new RegExp(
    '\\b(?:women|ladies|females?)(?:[\'’]s)?\\s+only\\b|\\bonly (?:for )?(?:women|ladies)\\b|\\bfor '
    + '(?:women|ladies|mums|mothers|girls)\\b|\\b(?:women|ladies)[\'’]s? (?:group|club|institute|c'
    + 'ircle|shed|network|centre|support|refuge)\\b|\\bwomen[\'’]s institute\\b|\\b(?:mums|mothers)['
    + '\'’]? (?:group|club|network|support|meet)', 'i');
/** A service for men only. */
const MEN_ONLY = new RegExp(
    '\\b(?:men|males?|gents)(?:[\'’]s)?\\s+only\\b|\\bonly (?:for )?men\\b|\\bfor (?:men|dads|father'
    + 's|boys)\\b|\\b(?:men|gents)[\'’]s? (?:group|club|shed|sheds|circle|network|support|health|m'
    + 'ental health)\\b|\\bmen[\'’]?s sheds?\\b|\\b(?:dads|fathers)[\'’]? (?:group|club|network|suppo'
    + 'rt|meet)', 'i');
/** Words one of which a text must hold to be worth reading for an age. */
const AGE_HINTS = ['age', 'over', 'under', '+', 'year', 'yr', 'plus', 'up to', '\'s', '’s', 's '];

/** Who the service is for: ages, women or men only, conditions, communities, catchments, audience paths. */
export function readForWhom(texts: readonly ProseText[]): ForWhomFact[] {
    const ages: ForWhomFact[] = [];
    const genders: ForWhomFact[] = [];
    const conditions: ForWhomFact[] = [];
    const catchments: ForWhomFact[] = [];
    const communities: ForWhomFact[] = [];
    const audiences: ForWhomFact[] = [];
    for (const { field, text } of texts) {
        if (field === 'audience') {
            const path = text.split('>').map((p) => p.trim()).filter((p) => p !== '').join(' > ');
            if (path && !audiences.some((a) => a.value === path)) {
                audiences.push({ kind: 'audience', value: path, from: field, span: text.slice(0, SPAN_MAX) });
            }
            ages.push(...ageFacts(field, text).filter((a) => !ages.some((b) => b.value === a.value)));
            continue;
        }
        const lower = text.toLowerCase();
        const mayHaveAge = /\d/.test(text) && AGE_HINTS.some((w) => lower.includes(w));
        if (mayHaveAge) ages.push(...ageFacts(field, text).filter((a) => !ages.some((b) => b.value === a.value)));
        if (GENDER_WORD.test(text) && !BOTH_GENDERS.test(text)) {
            const women = WOMEN_ONLY.exec(text);
            const men = MEN_ONLY.exec(text);
            if (women && !genders.some((g) => g.value === 'women')) {
                genders.push({ kind: 'gender', value: 'women', from: field, span: spanOf(text, women.index,
                    women.index + women[0].length, 10) });
            }
            if (men && !genders.some((g) => g.value === 'men')) {
                genders.push({ kind: 'gender', value: 'men', from: field, span: spanOf(text, men.index, men.index
                    + men[0].length, 10) });
            }
        }
        const mayHaveCondition = ['with', ' by ', 'have', 'from', 'experiencing'].some((w) => lower.includes(w));
        for (const m of mayHaveCondition ? text.matchAll(CONDITION) : []) {
            const value = (m[1] as string).toLowerCase().replace(/’/g, '\'');
            if (value === 'ms' && !/\bMS\b/.test(m[0])) continue;
            if (value === 'send' && !/\bSEND\b/.test(m[0])) continue;
            if (!conditions.some((c) => c.value === value)) {
                conditions.push({ kind: 'condition', value, from: field, span: spanOf(text, m.index, m.index + m[
                    0].length, 5) });
            }
        }
        const keysHeld = communityKeysIn(lower);
        for (const [value, re, keys] of COMMUNITIES_GLOBAL) {
            if (!keys.some((k) => keysHeld.has(k))) continue;
            re.lastIndex = 0;
            const m = [...text.matchAll(re)].find((hit) => field === 'eligibility' || field === 'name'
                || FOR_CONTEXT.test(text.slice(Math.max(0, hit.index - 30), hit.index)));
            if (m && !communities.some((c) => c.value === value)) {
                if (value === 'carers' && communities.some((c) => c.value === 'young carers')
                    && !/\b(?<!young )carers\b/i.test(text)) continue;
                communities.push({ kind: 'community', value, from: field, span: spanOf(text, m.index, m.index + m[
                    0].length, 10) });
            }
        }
        const gp = /\bregistered with an? ((?:[A-Z][a-z]+ )*)(?:GP|doctor|surgery)\b/.exec(text);
        if (gp && !catchments.some((c) => c.value.startsWith('registered'))) {
            catchments.push({ kind: 'catchment', value: gp[0].replace(/^./, (c) => c.toLowerCase()), from: field,
                span: spanOf(text, gp.index, gp.index + gp[0].length, 5) });
        }
        for (const re of CATCHMENT_WORD.test(text) ? [CATCHMENT, CATCHMENT_AFTER] : []) {
            for (const m of text.matchAll(re)) {
                const place = (m[1] as string).trim();
                if (NOT_PLACE.test(place) || place.length < 3) continue;
                if (!catchments.some((c) => c.value === place)) {
                    catchments.push({ kind: 'catchment', value: place, from: field, span: spanOf(text, m.index,
                        m.index + m[0].length, 5) });
                }
            }
        }
    }
    return [...ages, ...genders, ...conditions, ...communities, ...catchments, ...audiences];
}

/**
 * Facts from an organisation's own description, remembered by its text: one organisation runs many services, and a
 * feed repeats its description with each. Bounded, so a huge feed cannot grow it without limit.
 */
const ORG_CACHE = new Map<string, Map<unknown, unknown>>();
const ORG_CACHE_MAX = 5000;

function orgFacts<T>(org: readonly ProseText[], read: (texts: readonly ProseText[]) => T[]): T[] {
    const key = org.map((t) => `${t.field}\u0000${t.text}`).join('\u0001');
    let byReader = ORG_CACHE.get(key);
    if (!byReader) {
        if (ORG_CACHE.size >= ORG_CACHE_MAX) ORG_CACHE.clear();
        byReader = new Map();
        ORG_CACHE.set(key, byReader);
    }
    if (!byReader.has(read)) byReader.set(read, read(org));
    // A copy: a record's facts are its own to change, and the next record of the organisation must find them as read.
    return [...(byReader.get(read) as T[])];
}

/** readVenue as a list, so its answers can be remembered like the other readers'. */
function readVenueList(texts: readonly ProseText[]): Fact[] {
    const found = readVenue(texts);
    return found ? [found] : [];
}

/** readPrice as a list, so its answers can be remembered like the other readers'. */
function readPriceList(texts: readonly ProseText[]): PriceFact[] {
    const found = readPrice(texts);
    return found ? [found] : [];
}

/** Every reader over one record's texts. */
export function readProse(texts: readonly ProseText[]): ProseFacts {
    const usable = texts.filter((t) => t.text.trim() !== '');
    // The organisation's own description is about all it does: read for a service's facts only when the service's
    // own texts say nothing of that kind.
    const own = usable.filter((t) => !t.field.startsWith('organization') && t.field !== 'audience');
    const org = usable.filter((t) => t.field.startsWith('organization'));
    const either = <T>(read: (texts: readonly ProseText[]) => T[]): T[] => {
        const found = read(own);
        return found.length > 0 || org.length === 0 ? found : orgFacts(org, read);
    };
    const facts: ProseFacts = {
        // Numbers and addresses of the service and of its organisation both reach it.
        phones: readPhones(usable.filter((t) => t.field !== 'audience')),
        emails: either(readEmails),
        delivery: either(readDelivery),
        schedules: either(readSchedules),
        forWhom: readForWhom([...own, ...usable.filter((t) => t.field === 'audience')]),
    };
    const venue = readVenue(own) ?? (org.length > 0 ? orgFacts(org, readVenueList)[0] : undefined);
    if (venue) facts.venue = venue;
    const price = readPrice(own) ?? (org.length > 0 ? orgFacts(org, readPriceList)[0] : undefined);
    // A session on stated days and times, or a group, class, club, show or venue people go to, that nothing says is
    // online, by phone or at home, is one people attend.
    if (facts.delivery.every((d) => d.value === 'home-visit')) {
        const session = facts.schedules.find((f) => f.session);
        const attend = session ? undefined : readAttendable(own);
        const from = session ?? attend;
        if (from) facts.delivery = [{ value: 'in-person', from: from.from, span: from.span }, ...facts.delivery];
    }
    if (price) facts.price = price;
    return facts;
}
