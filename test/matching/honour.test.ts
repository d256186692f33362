/**
 * Issue 16, "honour what they said": six residents seen on main, each given suggestions that ignored what they
 * wrote. Each is played here as the bot plays it: needs from what they wrote, the answers the dialog reads, and the
 * wishes read from every message; then the first three suggestions are checked.
 */
import { expect } from 'chai';
import { parseCost, parseWhen } from '../../src/conversation/parse';
import { createEngine, type Engine } from '../../src/matching/engine';
import { mergeWishes } from '../../src/matching/wishes';
import type { Preferences, RankedResult } from '../../src/matching/types';
import type { Opportunity } from '../../src/knowledge/schema';
import { shippedKnowledge } from '../helpers/app';

const TODAY = '2026-10-01';

let engine: Engine;

/** The first suggestions for a resident who wrote `messages` (the first names the need) and gave `answers`. */
function suggest(messages: string[], answers: Preferences = {}, limit = 3): RankedResult[] {
    const needs = engine.detectNeeds(messages[0] as string).filter((n) => n.score >= 0.35);
    let prefs: Preferences = { ...answers };
    for (const message of messages) prefs = mergeWishes(prefs, engine.readWishes(message));
    return engine.rank({ needs, text: messages[0], prefs, limit, today: TODAY }).results;
}

const listing = (id: string): Opportunity => engine.opportunity(id) as Opportunity;

describe('honouring what the resident said (issue 16)', () => {
    before(() => {
        const knowledge = shippedKnowledge();
        engine = createEngine({ ...knowledge, whyWording: knowledge.wording.why, wishWords: knowledge.wording.wishes });
    });

    it('a widower who wants somewhere to go out to gets places to go, not phone or home visits', () => {
        const top = suggest([
            'since my wife died I feel lonely, I am a bit deaf and hard of hearing',
            'I wanted somewhere I could go out to, like a lunch club or a coffee morning',
        ]);
        expect(top).to.have.length(3);
        for (const r of top) {
            expect(listing(r.id).attending_type, r.name).to.include('in-person');
            expect(listing(r.id).location, r.name).to.not.equal(undefined);
        }
    });

    it('an adult carer who wants respite is not offered a club for young carers first', () => {
        const top = suggest(['I just need respite, someone to sit with mum so I can have a break']);
        expect(top.map((r) => r.name)).to.not.include('Young Carers Club');
    });

    it('a young parent is not offered a service for the over-60s', () => {
        const top = suggest(['I\'m a young mum and I need help with benefits']);
        expect(top.map((r) => r.name).join(' | ')).to.not.match(/over-?\s?60/i);
    });

    it('"get fit" puts places you can just go to above a scheme that needs a GP referral, and says so', () => {
        const top = suggest(['I want to get fit'], {}, 10);
        const names = top.map((r) => r.name);
        expect(names[0]).to.not.equal('Active Lives Exercise Referral');
        const referral = top.find((r) => r.name === 'Active Lives Exercise Referral');
        if (referral) {
            expect(names.indexOf(referral.name)).to.be.greaterThan(2);
            expect(referral.why.join(' ')).to.match(/GP referral/);
        }
    });

    it('"not Sundays" never gives a Sunday as a reason, nor a listing that meets only on Sundays', () => {
        const when = parseWhen('not Sundays');
        const answers: Preferences = when ? { days: when.days, times: when.times } : {};
        const top = suggest(['I feel lonely and would like to meet people', 'not Sundays'], answers);
        expect(top).to.have.length(3);
        for (const r of top) {
            expect(r.why.join(' '), r.name).to.not.match(/sunday/i);
            const days = listing(r.id).schedules.flatMap((s) => s.byday);
            if (days.length) expect(days.some((d) => d !== 'SU'), r.name).to.equal(true);
        }
    });

    it('"I can pay" never gives "free" as a reason', () => {
        const free = parseCost('I can pay');
        const answers: Preferences = free ? { freeOnly: true } : {};
        const top = suggest(['I feel lonely and would like to meet people', 'I can pay'], answers);
        expect(top).to.have.length(3);
        for (const r of top) {
            expect(r.why.map((w) => w.toLowerCase()), r.name).to.not.include.members(['free', "it's free"]);
            expect(r.why.join(' '), r.name).to.not.match(/\bfree\b/i);
        }
    });
});
