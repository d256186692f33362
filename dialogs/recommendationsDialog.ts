/**
 * Shows the best three opportunities, with why each fits. The resident can see more, open one for its details,
 * change their answers, ask for a person, or finish.
 */
import { MessageFactory, type Activity } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { NeedScore, RankedResult } from '../src/matching/types';
import { emptyProfile, type ResidentProfile } from '../src/conversation/profile';
import { noteConfirmed, noteSuggested } from '../src/conversation/story';
import { REFLECT_THRESHOLD, needsNamed } from './needsDialog';
import { parsePick } from '../src/conversation/parse';
import { mergeWishes } from '../src/matching/wishes';
import { joinAnd } from '../src/matching/schedule';
import { detailsItem, detailsText, resultItem, resultText } from '../src/conversation/describe';
import { question, withContent, type ResultItem } from '../src/conversation/messages';
import type { DialogServices } from '../src/conversation/services';
import { errorKind } from '../src/log';

export const RECOMMENDATIONS_DIALOG_ID = 'recommendationsDialog';
const WATERFALL = 'recommendationsWaterfall';
const ACTION_PROMPT = 'recommendationsAction';

/** How many opportunities one message shows. */
export const PAGE_SIZE = 3;

/** What the resident chose to do next. */
export type RecommendationsOutcome = 'done' | 'change' | 'none';

interface RecommendationsOptions {
    offset?: number;
    /** True when coming back from details: ask again without showing the list again. */
    quiet?: boolean;
}

export class RecommendationsDialog extends ComponentDialog {
    constructor(private readonly services: DialogServices) {
        super(RECOMMENDATIONS_DIALOG_ID);
        this.addDialog(new TextPrompt(ACTION_PROMPT))
            .addDialog(new WaterfallDialog(WATERFALL, [this.showStep.bind(this), this.actStep.bind(this)]));
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

    /** Ranks and shows the next page, saying which preferences were relaxed. */
    private async showStep(step: WaterfallStepContext) {
        const { wording, matcher } = this.services;
        const options = (step.options ?? {}) as RecommendationsOptions;
        const offset = options.offset ?? 0;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        if (!options.quiet) {
            const outcome = matcher.rank({
                needs: needScores(profile),
                text: profile.inOwnWords,
                // What they wrote about their need counts too ("somewhere I could go out to", "not Sundays").
                prefs: mergeWishes(profile.prefs, matcher.readWishes(profile.inOwnWords ?? '')),
                limit: PAGE_SIZE,
                offset,
            });
            if (!outcome.results.length) {
                if (offset === 0) await this.recordUnmet(profile.needs);
                await step.context.sendActivity(wording.text(offset === 0 ? 'noResults' : 'noMore'));
                if (offset === 0) return step.endDialog('none' satisfies RecommendationsOutcome);
            } else {
                profile.suggested = [...profile.suggested.slice(0, offset), ...outcome.results.map((r) => r.id)];
                noteSuggested(profile, outcome.results.map((r) => r.id));
                await this.services.profile.set(step.context, profile);
                await step.context.sendActivity(this.page(outcome.results, offset, outcome.widened));
            }
        }
        (step.values as { offset: number }).offset = offset;
        const buttons = [
            wording.button('showMore'), wording.button('changeAnswers'), wording.button('talkToPerson'),
            wording.button('thatsAll'),
        ];
        const prompt = withContent(question(wording.text('resultsActions'), buttons, { asWords: true }),
            { kind: 'resultsActions', count: profile.suggested.length });
        return step.prompt(ACTION_PROMPT, { prompt });
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
                const item = detailsItem(o, wording);
                await step.context.sendActivity(withContent(MessageFactory.text(detailsText(item, wording)),
                    { kind: 'details', item }));
            }
            return step.replaceDialog(WATERFALL, { offset, quiet: true } satisfies RecommendationsOptions);
        }
        if (lower === wording.button('showMore').toLowerCase() || /\b(more|next|others?)\b/.test(lower)) {
            return step.replaceDialog(WATERFALL, { offset: offset + PAGE_SIZE } satisfies RecommendationsOptions);
        }
        if (lower === wording.button('changeAnswers').toLowerCase() || /\bchange\b/.test(lower)) {
            return step.endDialog('change' satisfies RecommendationsOutcome);
        }
        if (lower === wording.button('thatsAll').toLowerCase() || /\b(that'?s all|done|finished|no thanks?)\b/.test(lower)) {
            return step.endDialog('done' satisfies RecommendationsOutcome);
        }
        // New words about what matters ("actually, a choir"): search again for those, keeping the other answers.
        // Detected once this turn: the base dialog's hook has read the same words.
        const needs = needsNamed(step.context, matcher, answer).filter((n) => n.score >= REFLECT_THRESHOLD)
            .map((n) => n.id);
        if (needs.length) {
            // Added to the story, not in place of it: a request then carries both searches.
            noteConfirmed(profile, needs.slice(0, 3), answer);
            await this.services.profile.set(step.context, profile);
            return step.replaceDialog(WATERFALL, { offset: 0 } satisfies RecommendationsOptions);
        }
        await step.context.sendActivity(wording.text('pickNumber'));
        return step.replaceDialog(WATERFALL, { offset, quiet: true } satisfies RecommendationsOptions);
    }

    /** The page as plain text, carrying the same results as data so each channel can show them its own way. */
    private page(results: RankedResult[], offset: number, widened: string[]): Partial<Activity> {
        const { wording, matcher } = this.services;
        const intro: string[] = [];
        if (widened.length) {
            const said = widened.map((w) => wording.text(WIDENED_KEYS[w] ?? 'widenedDistance'));
            intro.push(wording.text('widened', { widened: joinAnd(said) }));
        }
        intro.push(wording.text(offset === 0 ? 'resultsIntro' : 'resultsMore'));
        const items: ResultItem[] = [];
        results.forEach((r, i) => {
            const o = matcher.opportunity(r.id);
            if (o) items.push(resultItem(offset + i + 1, o, r, wording));
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

/** Confirmed needs as scores: the first named counts most. */
function needScores(profile: ResidentProfile): NeedScore[] {
    return profile.needs.map((id, i) => ({ id, score: Math.max(0.5, 1 - i * 0.15), evidence: [] }));
}
