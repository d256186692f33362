/**
 * Answers to a resident's question about a suggestion ("do I need to book?", "is there parking?"), from the listing
 * when it says, and honestly when it does not ("The listing doesn't say. Their number is ..."): never a guess. Pure:
 * an opportunity and a topic in, sentences from knowledge/wording.json out.
 */
import type { IntentLexicon, QuestionTopic } from '../knowledge/intents';
import { LISTING_TOPICS, shippedIntents, type ListingTopic } from '../knowledge/intents';
import type { Opportunity } from '../knowledge/schema';
import type { TextKey, Wording } from '../knowledge/wording';
import { FUNCTION_WORDS } from '../matching/text';
import { contactText, describeCost, describeWhen, describeWhere } from './describe';
import { normalise, ordinalIn } from './understand';

/** The sentences of a listing's own text that mention a topic's words ("Booking is essential."), at most two. */
function sentencesAbout(o: Opportunity, words: readonly string[]): string[] {
    const text = [o.description, o.schedule_note, o.eligibility_description].filter(Boolean).join(' ');
    const sentences = text.split(/(?<=[.!?])\s+/);
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|')})(?![\\p{L}\\p{N}])`, 'u');
    return sentences.filter((s) => re.test(normalise(s))).slice(0, 2);
}

/** "The listing doesn't say", with the way to ask them: their phone first, else e-mail or website. */
function doesNotSay(o: Opportunity, wording: Wording): string {
    if (o.phone) return wording.text('answerUnknownPhone', { name: o.name, phone: o.phone });
    const contact = contactText({ email: o.email, url: o.url });
    return contact ? wording.text('answerUnknownContact', { name: o.name, contact })
        : wording.text('answerUnknownNone', { name: o.name });
}

const field = (o: Opportunity, wording: Wording, label: TextKey, value: string) =>
    wording.text('answerField', { name: o.name, label: wording.text(label), value });

/** The answer about one opportunity, in one or two lines. */
export function answerAbout(o: Opportunity, topic: QuestionTopic, wording: Wording, lex: IntentLexicon): string {
    if ((LISTING_TOPICS as readonly string[]).includes(topic)) {
        const said = sentencesAbout(o, lex.question.listing[topic as ListingTopic]);
        const lines = said.length ? [wording.text('answerSays', { name: o.name, quote: said.join(' ') })] : [];
        if (topic === 'travel') {
            // Getting there: where it is, always. Nowhere to go to for one online, by phone or at home: how to reach
            // them instead.
            const where = field(o, wording, 'labelWhere', describeWhere(o, wording));
            if (!o.location) {
                const contact = contactText(o);
                return contact ? `${where}\n${field(o, wording, 'labelContact', contact)}` : where;
            }
            lines.unshift(where);
        }
        if (!said.length) lines.push(doesNotSay(o, wording));
        return lines.join('\n');
    }
    switch (topic) {
        case 'cost':
            return o.cost_unknown && !o.cost_options.length ? doesNotSay(o, wording)
                : field(o, wording, 'labelCost', describeCost(o, wording));
        case 'times':
            return o.schedules.length || o.schedule_note ? field(o, wording, 'labelWhen', describeWhen(o, wording))
                : doesNotSay(o, wording);
        case 'access':
            return o.accessibility.length
                ? field(o, wording, 'labelAccess', o.accessibility.map((f) => wording.why.access[f]).join(', '))
                : doesNotSay(o, wording);
        case 'contact': {
            const contact = contactText(o);
            return contact ? field(o, wording, 'labelContact', contact) : doesNotSay(o, wording);
        }
        default:
            // What happens: the listing's own description, which is what it says it is.
            return wording.text('answerSays', { name: o.name, quote: o.description });
    }
}

/**
 * Which of the shown suggestions a question is about: "number 2", "#2", "the second one", "is 3 free", and the
 * ordinals of the conversation's language in `lex` ("gdzie jest ta druga?", "ble mae'r ail un?"); undefined when it
 * names none (then every suggestion on screen is answered).
 */
export function suggestionNamed(text: string, count: number, lex: IntentLexicon = shippedIntents())
    : number | undefined {
    const t = normalise(text);
    const digit = /(?:^|[\s#(])(?:number\s*|no\.?\s*)?(\d{1,2})(?:st|nd|rd|th)?(?![\p{L}\p{N}:.])/u.exec(t);
    const n = digit ? Number(digit[1]) : ordinalIn(t, lex);
    return n !== undefined && n >= 1 && n <= count ? n : undefined;
}

/** Words of a question that never name a suggestion: "the one", "that place", "the group" says which by other words. */
const GENERIC_WORDS: ReadonlySet<string> = new Set(['ones', 'place', 'places', 'group', 'groups', 'club', 'clubs',
    'session', 'sessions', 'thingy', 'suggestion', 'suggestions', 'option', 'options', 'listing', 'last', 'first']);

const asking = new WeakMap<IntentLexicon, RegExp>();

/** The phrases that ask (the question's starts and every topic's words) as one pattern, once per lexicon. */
function askingPhrases(lex: IntentLexicon): RegExp {
    let re = asking.get(lex);
    if (!re) {
        const list = [...lex.question.starts, ...Object.values(lex.question.topics).flat()]
            .map((p) => normalise(p)).filter(Boolean).sort((a, b) => b.length - a.length)
            .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
        re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${list.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
        asking.set(lex, re);
    }
    return re;
}

const wordsOf = (text: string): string[] => normalise(text).split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/'s$|'/g, '')).filter(Boolean);

/** One word of the question names a word of a suggestion's name: the same, or one a form of the other ("walk"). */
function sameWord(asked: string, named: string): boolean {
    if (asked === named) return true;
    const [short, long] = asked.length <= named.length ? [asked, named] : [named, asked];
    return short.length >= 4 && long.startsWith(short) && long.length - short.length <= 4;
}

/**
 * Which of the suggestions a question names by its own words ("is the lunch one free?", "does the cafe have a
 * toilet?"): the 1-based numbers of those whose name has a word of the question that is not a question's word, a
 * topic's ("free", "parking") or a word saying nothing ("the", "one"). Empty when it names none (then the question
 * is about every suggestion on screen); more than one when its word is in several names ("the walk": both walks).
 */
export function suggestionsNamedByName(text: string, names: readonly string[], lex: IntentLexicon): number[] {
    // The question's own phrases go first, whole ("walk there" is about travel; "the walk" names a walk).
    const rest = normalise(text).replace(askingPhrases(lex), ' ');
    const asked = wordsOf(rest).filter((w) => w.length >= 3 && !/^\d+$/.test(w) && !FUNCTION_WORDS.has(w)
        && !GENERIC_WORDS.has(w));
    if (!asked.length) return [];
    const out: number[] = [];
    names.forEach((name, i) => {
        const words = wordsOf(name);
        if (asked.some((a) => words.some((n) => sameWord(a, n)))) out.push(i + 1);
    });
    // A word in every name picks none out ("the Eastfield one" when all three are in Eastfield).
    return out.length === names.length && names.length > 1 ? [] : out;
}
