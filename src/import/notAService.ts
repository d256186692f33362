/**
 * Whether a record reads like a business or a one-off event rather than a service (a gig, a stage play, a shop, a
 * trade selling to customers). `signpost kb review` flags it for a curator; `signpost kb import` writes what it
 * found into the listing (`looks_like`), so ranking can put such listings below services for a general question.
 * Words only, measured on the labelled sample (`npm run eval:import`, the not-a-service precision).
 */
import type { NotAServiceKind } from '../knowledge/schema';

/** Month names as a pattern, short or whole. */
export const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|'
    + 'oct(?:ober)?|'
    + 'nov(?:ember)?|dec(?:ember)?';

const EVENT_STRONG = new RegExp(
    '\\b(?:gig|gigs|concert|tribute (?:act|band|night|show)|pantomime|panto|stage (?:play|show)|'
    + 'one night only|doors open|box office|otd|on the door|book (?:your )?tickets|tickets (?:are|cost|can be|'
        + 'available|'
    + 'on sale|from|priced)|comedy (?:night|club)|stand[- ]up comed(?:y|ians?)|comedians?|live music night|matinee|'
    + 'premiere|sold out|tour(?:ing)? (?:date|show)s?|support act|headline(?:r|s|d)?|temporary exhibition|'
    + '(?:new|latest|debut) (?:album|single|ep)|singer[- ]songwriter|tribute band)\\b', 'i');
/** A shop, or a trade sold to customers, that the text says outright. */
const SHOP = new RegExp('\\b(?:our (?:shop|store|boutique)|(?:shop|store|boutique)\\b.{0,40}\\b(?:sells?|selling)|'
    + 'personal trainer|personal training (?:studio|business)|beauty salon|hair salo'
    + 'n)\\b', 'i');
const EVENT_WEAK = /\b(?:festival|fayre|fair|exhibition|show|performance|screening|gala|ball|race night|quiz night)\b/i;
const ONE_DATE = new RegExp(
    `\\b(?:on|this)\\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\\s+)?\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\b`
    + `|\\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\\s+\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\b`, 'i');
const BUSINESS_STRONG = new RegExp(
    '\\b(?:free (?:quotes?|estimates?|no[- ]obligation)|no[- ]obligation (?:quote|visit)|'
    + 'competitive (?:prices|pricing)|our (?:products|shop|store|salon|showroom)|(?:family[- ]run|'
    + 'independent|small|local) business|we sell|buy (?:online|now)|order online|trade (?:prices|customers)|'
    + 'plus vat|\\+ ?vat|fully insured|call for a quote|get a quote|switch (?:your )?(?:energy|supplier)|'
    + 'broadband (?:deals|packages)|discount code|special offer|'
    // Selling to a buyer: "buying for yourself or a loved one?", "order yours today", "free delivery".
    + 'buying (?:it )?for (?:yourself|a loved one|someone)|(?:order|buy) (?:yours|one|now|today)|shop now|'
    + 'free (?:delivery|postage|p ?& ?p|shipping)|next[- ]day delivery|money[- ]back guarantee)\\b', 'i');
const TRADE = new RegExp('\\b(?:roofing|plumb(?:er|ing)|electrician|builders?|landscaping|gutter(?:ing)?|driveways?|'
    + 'cleaning services|beauty (?:salon|treatments)|hair ?dress(?:er|ing)|barber|nail (?:bar|salon)|estate agents?|'
    + 'letting agents?|driving (?:school|lessons)|kennels|cattery|'
    + 'dog groom(?:er|ing)|removals|locksmith|catering services|photography services|web design|utilit(?:y|ies) '
    + '(?:reseller|supplier|provider))\\b', 'i');
/**
 * Trades that advice charities name as subjects ("help with debt, insurance and mortgages", "volunteer solicitors"):
 * a business only with selling words beside them (SELLING).
 */
const ADVISED_TRADE = /\b(?:solicitors|accountants?|insurance|mortgages?)\b/i;
/** A firm selling its work: quotes, its fees and rates, its clients, a consultation to book. */
const SELLING = new RegExp('\\b(?:(?:get|request|free|no[- ]obligation) (?:a )?quotes?|our (?:fees|rates|prices|'
    + 'charges|clients|customers)|fixed fees?|competitive (?:rates|prices|premiums|fees)|(?:free|initial) '
    + 'consultation|best (?:rates|deals?|prices)|policies from|premiums? from|compare (?:quotes|deals|prices))\\b',
'i');
/**
 * A company name that says trade: plc or llp. Not Ltd or Limited: charities are often companies limited by
 * guarantee ("Age UK Lindsey Ltd", "Citizens Advice North Lincolnshire Limited").
 */
const COMPANY = /\b(?:plc|llp)\b\.?$/i;
/** A registered charity says so, or gives its number: never a business, whatever it advises on or sells. */
const CHARITY = /\b(?:registered charity|charity (?:no|number|reg)|charitable incorporated organisation)\b/i;
/** A charity shop sells to raise funds for a charity: not flagged as a shop. */
const CHARITY_SHOP = /\bcharity shops?\b/i;

/** What a record looks like instead of a service, and the words that say so (for a curator to check). */
export interface NotAService {
    kind: NotAServiceKind;
    detail: string;
}

/**
 * Why a record looks like a business or a one-off event rather than a service, or undefined. `text` is its name,
 * description and schedule note joined, as `kb review` reads them; the importer reads the same words, so the flag a
 * curator sees and the listing's `looks_like` (which ranking uses) always agree.
 */
export function notAService(record: { name: string; organization?: { name?: string } }, text: string):
    NotAService | undefined {
    const event = EVENT_STRONG.exec(text);
    if (event) return { kind: 'event', detail: `looks like a one-off event ("${event[0]}")` };
    const weak = EVENT_WEAK.exec(record.name);
    const date = ONE_DATE.exec(text);
    if (weak && date) return { kind: 'event', detail: `looks like a one-off event ("${weak[0]}", "${date[0]}")` };
    if (CHARITY.test(text)) return undefined;
    const shop = CHARITY_SHOP.test(text) ? null : SHOP.exec(text);
    if (shop) return { kind: 'business', detail: `looks like a business ("${shop[0]}")` };
    const business = BUSINESS_STRONG.exec(text);
    if (business) return { kind: 'business', detail: `looks like a business ("${business[0]}")` };
    const advised = ADVISED_TRADE.exec(text);
    const selling = advised ? SELLING.exec(text) : null;
    if (advised && selling) {
        return { kind: 'business', detail: `looks like a business ("${advised[0]}", "${selling[0]}")` };
    }
    const trade = TRADE.exec(text);
    const company = [record.name, record.organization?.name ?? ''].some((n) => COMPANY.test(n.trim()));
    if (trade && company) return { kind: 'business', detail: `looks like a business ("${trade[0]}", a company name)` };
    return undefined;
}

