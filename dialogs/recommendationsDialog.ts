/**
 * Shows the best three opportunities, with why each fits. The resident can see more, open one for its details,
 * change their answers, ask for a person, or finish.
 */
import { MessageFactory, type Activity } from 'botbuilder';
import {
    ComponentDialog, TextPrompt, WaterfallDialog, type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { NeedScore, RankedResult } from '../src/matching/types';
import { emptyProfile, type ResidentProfile } from '../src/conversation/profile';
import { noteConfirmed, noteSuggested } from '../src/conversation/story';
import { REFLECT_THRESHOLD, needsNamed, understandOnce } from './needsDialog';
import { isNo, isNoPreference, isSkip, isYes, parseOnline, parsePick, parsePlace } from '../src/conversation/parse';
import { pickUp, pickedNothing, withPickedUp, type PickedUp } from '../src/conversation/pickUp';
import {
    correctedWords, questionTopic, redirection, withoutNegated,
} from '../src/conversation/understand';
import { answerAbout } from '../src/conversation/answers';
import { forThem, textFor } from '../src/conversation/behalf';
import { openNowFit, londonTime } from '../src/conversation/when';
import { SMS_CHANNEL_ID } from '../src/channelIds';
import { BASE_LOCALE } from '../src/knowledge/wording';
import { mergeWishes } from '../src/matching/wishes';
import { detailsItem, detailsText, resultItem, resultText } from '../src/conversation/describe';
import { joinAndWith, question, withContent, type ResultItem } from '../src/conversation/messages';
import type { DialogServices } from '../src/conversation/services';
import { errorKind } from '../src/log';

export const RECOMMENDATIONS_DIALOG_ID = 'recommendationsDialog';
const WATERFALL = 'recommendationsWaterfall';
const ACTION_PROMPT = 'recommendationsAction';
const NEAR_PROMPT = 'recommendationsNear';

/** For "open now", how many of the best are looked at for a session on now or soon. */
const OPEN_NOW_POOL = 50;

/** What the results offer to narrow them down by: the place, or days, times and cost; nothing when all are known. */
type Narrowing = 'near' | 'more' | undefined;

/** How many opportunities one message shows. */
export const PAGE_SIZE = 3;

/** What the resident chose to do next. */
export type RecommendationsOutcome = 'done' | 'change' | 'none' | 'needs';

/** Where the results start (the next page after a report of a listing), and whether to show them again. */
export interface RecommendationsOptions {
    offset?: number;
    /** True when coming back from details: ask again without showing the list again. */
    quiet?: boolean;
    /** True after "none of them are any use": ask what would suit better instead of the usual choices. */
    askBetter?: boolean;
}

interface RecommendationsValues {
    offset: number;
    /** The offer to narrow down made under this page, if any. */
    narrowing?: Narrowing;
    /** "What would suit better?" was asked: an answer that names no need gets the list of needs, not "a number". */
    askedBetter?: boolean;
}

export class RecommendationsDialog extends ComponentDialog {
    constructor(private readonly services: DialogServices) {
        super(RECOMMENDATIONS_DIALOG_ID);
        this.addDialog(new TextPrompt(ACTION_PROMPT))
            .addDialog(new TextPrompt(NEAR_PROMPT, async (p) => this.validateNear(p)))
            .addDialog(new WaterfallDialog(WATERFALL, [
                this.showStep.bind(this), this.actStep.bind(this), this.nearStep.bind(this),
            ]));
        this.initialDialogId = WATERFALL;
    }

    /**
     * Counts the needs this search found nothing for (the commissioners' gap list). Only need ids and the week are
     * kept; a failure to count must never spoil the resident's conversation, so it is logged and passed over.
     */
    private async recordUnmet(needIds: string[]): Promise<void> {
        if (!needIds.length) return;
        try {
            await this.services.analytics.recordUnmet(needIds, this.services.now().toISOString());
        } catch (err) {
            this.services.log.warn('analytics.unmet_failed', { error: errorKind(err) });
        }
    }

    /** Ranks and shows the next page, saying which preferences were relaxed, then offers to narrow them down. */
    private async showStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const options = (step.options ?? {}) as RecommendationsOptions;
        const offset = options.offset ?? 0;
        const values = step.values as RecommendationsValues;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        if (!options.quiet) {
            const page = this.rankPage(profile, offset);
            if (!page.results.length) {
                if (offset === 0) await this.recordUnmet(profile.needs);
                await step.context.sendActivity(wording.text(offset === 0 ? 'noResults' : 'noMore'));
                if (offset === 0) return step.endDialog('none' satisfies RecommendationsOutcome);
            } else {
                profile.suggested = [...profile.suggested.slice(0, offset), ...page.results.map((r) => r.id)];
                noteSuggested(profile, page.results.map((r) => r.id));
                await this.services.profile.set(step.context, profile);
                await step.context.sendActivity(this.page(page.results, offset, page.widened, page.intro, profile));
                if (offset === 0) values.narrowing = narrowingFor(profile);
            }
        }
        values.offset = offset;
        const sms = step.context.activity.channelId === SMS_CHANNEL_ID;
        const buttons = [
            wording.button('showMore'), wording.button('changeAnswers'), wording.button('talkToPerson'),
            wording.button('thatsAll'),
        ];
        if (values.narrowing && !options.quiet) {
            // Its own message, so every channel says it as written (SMS words the choices under a list its own way).
            await step.context.sendActivity(textFor(profile, wording,
                values.narrowing === 'near' ? 'narrowNear' : 'narrowMore'));
            // A quick answer where there are buttons; on SMS the sentence says what to type.
            if (values.narrowing === 'near' && !sms) buttons.unshift(wording.button('findNearMe'));
        }
        values.askedBetter = options.askBetter === true;
        if (options.askBetter) {
            // "None of them are any use": a kind question in their own words, with a person one tap away.
            return step.prompt(ACTION_PROMPT, {
                prompt: question(wording.text('rejectedAsk'), [wording.button('talkToPerson')]),
            });
        }
        const prompt = withContent(question(wording.text('resultsActions'), buttons, { asWords: true }),
            { kind: 'resultsActions', count: profile.suggested.length });
        return step.prompt(ACTION_PROMPT, { prompt });
    }

    /**
     * One page of results. For "open now", those with a session on now or starting within two hours come first,
     * then those with no timetable, said honestly ("I can't say if they're on now"); when none is on soon, that is
     * said and the usual results follow.
     */
    private rankPage(profile: ResidentProfile, offset: number): {
        results: RankedResult[]; widened: string[]; intro?: string[];
    } {
        const { matcher, wording, now } = this.services;
        // What they wrote about their need counts too ("somewhere I could go out to", "not Sundays").
        const prefs = mergeWishes(profile.prefs, matcher.readWishes(profile.inOwnWords ?? ''));
        // With a place given, the first page has one near it when it can (matching/rank.ts, RankQuery.nearbySlot).
        // What they said "not" to counts for nothing ("I am not a carer" must not bring carers' services).
        const text = profile.inOwnWords === undefined ? undefined
            : withoutNegated(profile.inOwnWords, this.services.intents);
        // For someone else the reasons speak of them ("near them"): who it is for goes to the engine as data.
        const query = {
            needs: needScores(profile), text, prefs, nearbySlot: PAGE_SIZE,
            ...(forThem(profile) ? { about: 'other' as const } : {}),
        };
        if (profile.openNow) {
            const at = now();
            const today = londonTime(at).day;
            const pool = matcher.rank({
                ...query, prefs: { ...prefs, days: [today] }, limit: OPEN_NOW_POOL, offset: 0, nearbySlot: 0,
            });
            const fit = (r: RankedResult) => openNowFit(matcher.opportunity(r.id)?.schedules ?? [], at);
            const soon = pool.results.filter((r) => fit(r) === 'soon');
            const untimed = pool.results.filter((r) => fit(r) === 'untimed');
            const results = [...soon, ...untimed].slice(offset, offset + PAGE_SIZE);
            if (results.length) {
                const intro = offset === 0 && soon.length ? [wording.text('openNowIntro')]
                    : offset === 0 ? [wording.text('openNowNone')] : [];
                if (results.some((r) => untimed.includes(r))) intro.push(wording.text('openNowUntimed'));
                return { results, widened: [], intro };
            }
            if (offset > 0) return { results: [], widened: [] };
            const usual = matcher.rank({ ...query, limit: PAGE_SIZE, offset: 0 });
            return { results: usual.results, widened: usual.widened, intro: [wording.text('openNowNone')] };
        }
        const outcome = matcher.rank({ ...query, limit: PAGE_SIZE, offset });
        return { results: outcome.results, widened: outcome.widened };
    }

    /** Acts on the choice: details of one, more, change, or done. */
    private async actStep(step: WaterfallStepContext) {
        const { wording, matcher } = this.services;
        const answer = (step.result as string).trim();
        const offset = (step.values as { offset: number }).offset;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const pick = parsePick(answer, profile.suggested.length);
        const lower = answer.toLowerCase();
        if (pick) {
            const o = matcher.opportunity(profile.suggested[pick - 1]);
            if (o) {
                // "Save this" or "this has closed" next means this one.
                profile.talkedAbout = o.id;
                await this.services.profile.set(step.context, profile);
                const item = detailsItem(o, wording, [], forThem(profile));
                await step.context.sendActivity(withContent(MessageFactory.text(detailsText(item, wording)),
                    { kind: 'details', item }));
            }
            return step.replaceDialog(WATERFALL, { offset, quiet: true } satisfies RecommendationsOptions);
        }
        // "None of them", "no I said MONEY help not crafts", "actually not that, more like money help": before "more",
        // which a change of mind may say ("more like ...").
        const redirected = await this.redirect(step, profile, answer);
        if (redirected) return redirected;
        if (lower === wording.button('showMore').toLowerCase() || /\b(more|next|others?)\b/.test(lower)) {
            return step.replaceDialog(WATERFALL, { offset: offset + PAGE_SIZE } satisfies RecommendationsOptions);
        }
        if (lower === wording.button('changeAnswers').toLowerCase() || /\bchange\b/.test(lower)) {
            return step.endDialog('change' satisfies RecommendationsOutcome);
        }
        if (lower === wording.button('thatsAll').toLowerCase() || /\b(that'?s all|done|finished|no thanks?)\b/.test(lower)) {
            return step.endDialog('done' satisfies RecommendationsOutcome);
        }
        const values = step.values as RecommendationsValues;
        if (lower === wording.button('findNearMe').toLowerCase()
            || (values.narrowing === 'near' && isYes(answer, this.services.intents))) {
            return this.askNear(step);
        }
        if (values.narrowing === 'more' && isYes(answer, this.services.intents)) {
            // "Yes" to "Want me to narrow them down?": how, in a sentence, and the same choices.
            await step.context.sendActivity(wording.text('narrowHow'));
            return step.replaceDialog(WATERFALL, { offset, quiet: true } satisfies RecommendationsOptions);
        }
        // A preference said at the results ("mornings", "free", "sorry, I meant Eastfield not Westmoor", "not
        // Sundays"): the results are looked for again with it. A change of mind that names a need goes on below.
        const refined = await this.refine(step, profile, answer);
        if (refined) return step.replaceDialog(WATERFALL, { offset: 0 } satisfies RecommendationsOptions);
        // New words about what matters ("actually, a choir"): search again for those, keeping the other answers.
        // Detected once this turn: the base dialog's hook has read the same words. A message that starts with no
        // ("no I'm OK on my own") names a new need only when it changes the need outright ("no, forget that ...").
        const change = this.changeOfMind(step, answer);
        const needs = needsNamed(step.context, matcher, change ?? answer).filter((n) => n.score >= REFLECT_THRESHOLD)
            .map((n) => n.id);
        // Asked what would suit better, and no need in the answer ("I don't know"): the list of needs to choose from.
        if (values.askedBetter && !needs.length) return step.endDialog('needs' satisfies RecommendationsOutcome);
        if ((isNo(answer, this.services.intents) && change === undefined) || isSkip(answer)) {
            // "No" to the offer to narrow them down, or "any time": the same choices again, never "type a number".
            await step.context.sendActivity(wording.text('narrowNo'));
            return step.replaceDialog(WATERFALL, { offset, quiet: true } satisfies RecommendationsOptions);
        }
        if (needs.length) {
            // Added to the story, not in place of it: a request then carries both searches.
            noteConfirmed(profile, needs.slice(0, 3), change ?? answer);
            await this.services.profile.set(step.context, profile);
            return step.replaceDialog(WATERFALL, { offset: 0 } satisfies RecommendationsOptions);
        }
        // "I need somewhere with parking": what the listings on screen say about it, or that they don't say.
        const topic = questionTopic(answer, this.services.intents);
        const about = profile.suggested.slice(offset, offset + PAGE_SIZE).map((id) => matcher.opportunity(id))
            .filter((o) => o !== undefined);
        if (topic && about.length) {
            await step.context.sendActivity(about.map((o) => answerAbout(o, topic, wording, this.services.intents))
                .join('\n\n'));
            return step.replaceDialog(WATERFALL, { offset, quiet: true } satisfies RecommendationsOptions);
        }
        await step.context.sendActivity(wording.text('pickNumber'));
        return step.replaceDialog(WATERFALL, { offset, quiet: true } satisfies RecommendationsOptions);
    }

    /**
     * A message that turns the results down or changes the need: a need named ("no I said MONEY help not crafts",
     * "actually not that, more like money help") replaces the old one, with a brief sorry when they turned the
     * results down, and the results are searched again for it alone; "not lonely" takes that need away and searches
     * for the rest; turned down with nothing named ("none of them are any use") asks kindly what would suit better.
     * Undefined when the message does none of these (a bare "no" to the offer to narrow them down is no).
     */
    private async redirect(step: WaterfallStepContext, profile: ResidentProfile, answer: string) {
        const { matcher, intents, wording, log } = this.services;
        const change = this.changeOfMind(step, answer);
        const said = redirection(answer, intents);
        const named = (t: string) => needsNamed(step.context, matcher, t).filter((n) => n.score >= REFLECT_THRESHOLD)
            .map((n) => n.id);
        const notTheirs = new Set(said.negated.flatMap(named));
        const dropped = profile.needs.filter((id) => notTheirs.has(id));
        const words = change !== undefined ? withoutNegated(change, intents) : said.rest;
        const wanted = named(words).filter((id) => !notTheirs.has(id));
        // A no alone does not turn them down ("no, I'm OK going on my own" is about a worry): words that do must.
        const rejects = said.rejects || dropped.length > 0;
        if (!rejects && change === undefined) return undefined;
        const sorry = rejects ? 'rejectedNeeds' : 'changeOfMindNeeds';
        const remaining = profile.needs.filter((id) => !notTheirs.has(id));
        const needs = wanted.length ? wanted.slice(0, 3) : dropped.length ? remaining : [];
        log.info('results.redirected', {
            channel: step.context.activity.channelId, named: needs.length > 0, rejected: rejects,
            dropped: dropped.length,
        });
        if (!needs.length) {
            await this.services.profile.set(step.context, profile);
            return step.replaceDialog(WATERFALL, {
                offset: (step.values as RecommendationsValues).offset, quiet: true, askBetter: true,
            } satisfies RecommendationsOptions);
        }
        // The new need replaces the old, and so do its words: the old request's words stop counting in ranking.
        noteConfirmed(profile, needs, wanted.length ? words : withoutNegated(profile.inOwnWords ?? '', intents));
        profile.suggested = [];
        await this.services.profile.set(step.context, profile);
        const labels = joinAndWith(needs.map((id) => matcher.reflectLabel(id)), wording.text('and'));
        await step.context.sendActivity(wording.text(sorry, { needs: labels }));
        return step.replaceDialog(WATERFALL, { offset: 0 } satisfies RecommendationsOptions);
    }

    /** The new words of a change of mind that names a need ("no forget the stress stuff, I want to get fit"). */
    private changeOfMind(step: WaterfallStepContext, answer: string): string | undefined {
        const { matcher, intents } = this.services;
        const namesNeed = (t: string) => needsNamed(step.context, matcher, t).some((n) => n.score >= REFLECT_THRESHOLD);
        const understood = understandOnce(step.context, matcher, intents, answer);
        if (understood.intent === 'change-of-mind') return understood.words ?? answer;
        // "No, forget walking, I need help with my debts": what follows the taking-back word names a need.
        const corrected = correctedWords(answer, intents);
        return corrected !== undefined && namesNeed(corrected) ? corrected : undefined;
    }

    /** "Find ones near me": where are you? */
    private async askNear(step: WaterfallStepContext) {
        const { wording } = this.services;
        const buttons = [wording.button('onlineFine'), wording.button('skip')];
        const profile = await this.services.profile.get(step.context, emptyProfile());
        return step.prompt(NEAR_PROMPT, {
            prompt: question(textFor(profile, wording, 'askWhere'), buttons),
            retryPrompt: question(wording.text('whereUnknown'), buttons),
        });
    }

    /** The place given after "find ones near me": the results again, near it. */
    private async nearStep(step: WaterfallStepContext) {
        const { wording, matcher } = this.services;
        const answer = (step.result as string) ?? '';
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const online = parseOnline(answer);
        const place = isSkip(answer) || online ? undefined : parsePlace(answer, (t) => matcher.resolvePlace(t));
        if (!place && !online) {
            await step.context.sendActivity(wording.text('narrowNo'));
            return step.replaceDialog(WATERFALL, { offset: 0, quiet: true } satisfies RecommendationsOptions);
        }
        profile.prefs = withPickedUp(profile.prefs, place ? { place } : { online });
        await this.services.profile.set(step.context, profile);
        await step.context.sendActivity(place ? wording.text('whereGot', { place: place.label })
            : wording.text('whereOnline'));
        return step.replaceDialog(WATERFALL, { offset: 0 } satisfies RecommendationsOptions);
    }

    private async validateNear(p: PromptValidatorContext<string>): Promise<boolean> {
        const text = p.recognized.value ?? '';
        if (isSkip(text) || parseOnline(text) || parsePlace(text, (t) => this.services.matcher.resolvePlace(t))
            || isNoPreference(text, this.services.intents)) {
            // "nah ur alright" to "Where are you?" after "Find ones near me": no place, the same choices again.
            return true;
        }
        if (p.attemptCount >= 2) {
            p.recognized.value = 'skip';
            return true;
        }
        return false;
    }

    /**
     * Reads a message at the results for preferences (a place, days and times, "open now", cost, access, worries,
     * "not Sundays"), the corrected words first when it takes something back; stores them and says what it did.
     * False when it said none, or when it changes the need outright (the need is then searched for again).
     */
    private async refine(step: WaterfallStepContext, profile: ResidentProfile, answer: string): Promise<boolean> {
        const { wording, matcher, intents, now, log } = this.services;
        if (this.changeOfMind(step, answer) !== undefined) return false;
        const corrected = correctedWords(answer, intents);
        const words = corrected ?? answer;
        const picked: PickedUp = pickUp(words, { resolvePlace: (t) => matcher.resolvePlace(t), now: now(), intents });
        if (isNo(answer, intents) && /\b(ok|okay|fine|alright|all right|good)\b/i.test(answer)) {
            // "No, I'm OK going on my own": a no to a worry, not a worry ("I'd rather not go alone" is one).
            delete picked.worries;
            delete picked.access;
        }
        const wishes = matcher.readWishes(answer);
        const wished = Object.keys(wishes).length > 0;
        if (pickedNothing(picked) && !wished) return false;
        profile.prefs = mergeWishes(withPickedUp(profile.prefs, picked), wishes);
        if (picked.openNow) profile.openNow = true;
        else if (picked.days || picked.times) delete profile.openNow;
        await this.services.profile.set(step.context, profile);
        log.info('results.narrowed', {
            channel: step.context.activity.channelId, fields: Object.keys(picked).sort().join(','),
            corrected: corrected !== undefined,
        });
        const said = picked.place ? wording.text('whereGot', { place: picked.place.label })
            : picked.online ? wording.text('whereOnline')
                : corrected !== undefined ? wording.text('correctionGot') : wording.text('narrowGot');
        await step.context.sendActivity(said);
        return true;
    }

    /** The page as plain text, carrying the same results as data so each channel can show them its own way. */
    private page(results: RankedResult[], offset: number, widened: string[], lead: string[] | undefined,
        profile: ResidentProfile): Partial<Activity> {
        const { wording, matcher } = this.services;
        const intro: string[] = [...(lead ?? [])];
        if (widened.length) {
            const said = widened.map((w) => wording.text(WIDENED_KEYS[w] ?? 'widenedDistance'));
            intro.push(wording.text('widened', { widened: joinAndWith(said, wording.text('and')) }));
        }
        if (!lead?.length || widened.length) {
            intro.push(textFor(profile, wording, offset === 0 ? 'resultsIntro' : 'resultsMore'));
        }
        // The listings stay in the directory's language: one line says so to a resident talking in another.
        if (offset === 0 && wording.locale !== BASE_LOCALE) intro.push(wording.text('directoryLanguage'));
        const items: ResultItem[] = [];
        results.forEach((r, i) => {
            const o = matcher.opportunity(r.id);
            if (o) items.push(resultItem(offset + i + 1, o, r, wording, forThem(profile)));
        });
        const text = [...intro, ...items.map((item) => resultText(item, wording))].join('\n\n');
        return withContent(MessageFactory.text(text), { kind: 'results', intro, items });
    }
}

const WIDENED_KEYS: Record<string, Parameters<DialogServices['wording']['text']>[0]> = {
    time: 'widenedTime',
    day: 'widenedDay',
    distance: 'widenedDistance',
    cost: 'widenedCost',
    online: 'widenedOnline',
    access: 'widenedAccess',
};

/**
 * What to offer to narrow the first page down by: the place when none was given (and not "online"), else days,
 * times or cost when none was said, else nothing.
 */
function narrowingFor(profile: ResidentProfile): Narrowing {
    const p = profile.prefs;
    if (!p.place && !p.onlineOnly && !p.onlineOk) return 'near';
    if (!p.days?.length && !p.times?.length && !p.freeOnly && !p.canPay && !profile.openNow) return 'more';
    return undefined;
}

/** Confirmed needs as scores: the first named counts most. */
function needScores(profile: ResidentProfile): NeedScore[] {
    return profile.needs.map((id, i) => ({ id, score: Math.max(0.5, 1 - i * 0.15), evidence: [] }));
}
