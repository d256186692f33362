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
