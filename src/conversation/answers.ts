/**
 * Answers to a resident's question about a suggestion ("do I need to book?", "is there parking?"), from the listing
 * when it says, and honestly when it does not ("The listing doesn't say. Their number is ..."): never a guess. Pure:
 * an opportunity and a topic in, sentences from knowledge/wording.json out.
 */
import type { IntentLexicon, QuestionTopic } from '../knowledge/intents';
import { LISTING_TOPICS, shippedIntents, type ListingTopic } from '../knowledge/intents';
import type { Opportunity } from '../knowledge/schema';
import type { TextKey, Wording } from '../knowledge/wording';
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
