/** Dialog tests as tables of turns: what the resident says, and what the bot's reply must (and must not) contain. */
import { expect } from 'chai';
import type { Conversation, Turn } from '../helpers/app';

export interface Step {
    say: string;
    /** Each must appear in the turn's replies (a string is matched literally). */
    expect?: (RegExp | string)[];
    /** None may appear. */
    not?: (RegExp | string)[];
    /** Exactly these buttons on the last message. */
    buttons?: string[];
}

export async function play(c: Conversation, steps: Step[]): Promise<Turn[]> {
    const turns: Turn[] = [];
    for (const step of steps) {
        const turn = await c.say(step.say);
        const where = `after the resident said "${step.say}", the bot said:\n${turn.all}\n`;
        for (const e of step.expect ?? []) {
            if (typeof e === 'string') expect(turn.all, where).to.include(e);
            else expect(turn.all, where).to.match(e);
        }
        for (const e of step.not ?? []) {
            if (typeof e === 'string') expect(turn.all, where).to.not.include(e);
            else expect(turn.all, where).to.not.match(e);
        }
        if (step.buttons) expect(turn.buttons, where).to.deep.equal(step.buttons);
        turns.push(turn);
    }
    return turns;
}

/** The words the steps below need: buttons and sentences of knowledge/wording.json. */
interface Words {
    text(key: 'askChange' | 'askWhere' | 'resultsIntro'): string;
    button(key: 'changeAnswers' | 'changePreferences'): string;
}

/**
 * From the results, "Change my answers" then "My other answers": every preference question in turn, from "Where are
 * you?". Since issue 16 part 2 the first pass asks only what is missing (the place, for things in person) and shows
 * the results; tests of what a resident can say at the time, cost, access or worries question reach it this way.
 */
export function toEveryQuestion(w: Words): Step[] {
    return [
        { say: w.button('changeAnswers'), expect: [w.text('askChange')] },
        { say: w.button('changePreferences'), expect: [w.text('askWhere')] },
    ];
}
