/**
 * Resident journeys shared by tests: one the same on every channel, for transcript tests (what the resident types,
 * in order), and one to a confirmed request, with what each reply must hold, for the tests over real HTTP.
 */
import type { Activity } from 'botbuilder';
import type { Wording } from '../../src/knowledge/wording';
import { Conversation, type TestApp } from '../helpers/app';

/**
 * A whole journey: hello, needs, the place, results narrowed by a time, every question after "change my answers",
 * results, details, more, then a request for contact.
 */
export const JOURNEY: readonly string[] = [
    'hello',
    "I'm lonely and money is tight",
    'yes',
    'BS5 6XX',
    'Tuesday mornings',
    'Change my answers',
    'My other answers',
    'BS5 6XX',
    'skip',
    'skip',
    'nothing',
    "I'd rather not go alone",
    '1',
    'more',
    "that's all",
    'yes please',
    'text message',
    '07700 900123',
    'skip',
    'evenings',
    'yes',
];

/** Every activity the bot sent on `channelId` during the journey, with what the resident said before each turn. */
export async function playJourney(app: TestApp, channelId: string, steps: readonly string[] = JOURNEY) {
    const c = new Conversation(app, { channelId, conversationId: `journey-${channelId}`, userId: '+447700900123' });
    const turns: { said: string; activities: Partial<Activity>[] }[] = [];
    for (const said of steps) {
        const turn = await c.say(said);
        turns.push({ said, activities: turn.activities });
    }
    return { conversation: c, turns };
}

/** A transcript to read: "> what the resident said", then each message the bot sent. */
export function transcript(turns: { said: string; activities: Partial<Activity>[] }[]): string {
    return turns.map((t) => [`> ${t.said}`, ...t.activities.filter((a) => a.type === 'message')
        .map((a) => a.text ?? '')].join('\n\n')).join('\n\n');
}

/**
 * From needs to a confirmed request for a text back: what the resident says at each turn, and what the bot's reply
 * must hold (text, or a pattern). `name` answers "what should we call you" (`skip` gives none).
 */
export function requestJourney(w: Wording, name = 'skip'): [string, RegExp | string][] {
    return [
        ['money is tight and I\'m lonely', /It sounds like/],
        ['yes', w.text('askWhere')],
        // Issue 16 part 2: the place is the one question before the results.
        ['bs5 6xx', w.text('resultsIntro')],
        ['that\'s all', w.text('offerHandoff')],
        ['yes please', w.text('askMethod')],
        ['text message', w.text('askPhone')],
        ['07700 900456', w.text('askName')],
        [name, w.text('askTime')],
        ['evenings', 'I need your OK'],
        ['yes', 'read this chat'],
        ['no', /Your reference is SP-[A-Z2-9]{6}/],
    ];
}
