/**
 * The stamp on stored dialog state and the check before the dialogs run (src/bot/storedDialogs.ts): this release's
 * dialogs are recorded under the version it stamps, so a change to a dialog id, a prompt's kind or a waterfall's
 * steps fails here until the stamp is bumped and the new shape recorded; and a stack fits only when every dialog
 * on it is the same.
 */
import { expect } from 'chai';
import type { DialogInstance } from 'botbuilder-dialogs';
import {
    DIALOG_STATE_VERSION, UNSTAMPED_VERSION, dialogShape, recordedShape, stackFits, type DialogShape,
} from '../../src/bot/storedDialogs';
import { upgradeProfile } from '../../src/conversation/profile';
import { testApp } from '../helpers/app';
import { MainDialog } from '../../dialogs/mainDialog';

describe('the version stamp on stored dialog state', () => {
    it('has this release\'s dialogs recorded under the version it stamps (bump it when a dialog changes)', async () => {
        const app = testApp();
        try {
            const shape = dialogShape([new MainDialog(app.services)]);
            expect(shape, 'The dialogs changed: bump DIALOG_STATE_VERSION in src/bot/storedDialogs.ts and record this'
                + ' shape under the new version in src/bot/dialogShapes.json (docs/architecture.md):\n'
                + `${JSON.stringify(shape, null, 4)}\n`)
                .to.deep.equal(recordedShape(DIALOG_STATE_VERSION));
        } finally {
            await app.dispose();
        }
    });

    it('keeps the shape of every earlier version, so their stored stacks can still be judged', () => {
        for (let v = UNSTAMPED_VERSION; v <= DIALOG_STATE_VERSION; v++) {
            expect(recordedShape(v), `version ${v}`).to.be.an('object').that.is.not.empty;
        }
    });

    it('reads a waterfall\'s steps by name and in order, so a step added or moved changes the shape', async () => {
        const app = testApp();
        try {
            const shape = dialogShape([new MainDialog(app.services)]);
            expect(shape['mainDialog/mainWaterfall']).to.be.an('array').with.length.greaterThan(2);
            expect(shape['mainDialog/mainWaterfall']).to.include('needsStep');
            expect(shape['mainDialog/needsDialog']).to.equal('NeedsDialog');
        } finally {
            await app.dispose();
        }
    });
});

describe('whether a stored stack fits this release', () => {
    const shape: DialogShape = {
        main: 'MainDialog',
        'main/flow': ['askStep', 'answerStep', 'doneStep'],
        'main/ask': 'TextPrompt',
    };
    const stack = (stepIndex: number, prompt = 'ask'): DialogInstance[] => [{
        id: 'main', state: { dialogs: { dialogStack: [
            { id: 'flow', state: { stepIndex, values: {}, options: {} } }, { id: prompt, state: {} },
        ] } },
    }];

    it('fits when every dialog on it is the same and each step index is one of its steps', () => {
        expect(stackFits(stack(1), shape, shape)).to.equal(true);
        expect(stackFits([], shape, shape)).to.equal(true);
    });

    it('does not fit a dialog id this release does not have', () => {
        expect(stackFits(stack(1, 'gone'), { ...shape, 'main/gone': 'TextPrompt' }, shape)).to.equal(false);
    });

    it('does not fit a step index past the waterfall\'s end', () => {
        expect(stackFits(stack(3), shape, shape)).to.equal(false);
        expect(stackFits(stack(-1), shape, shape)).to.equal(false);
    });

    it('does not fit a waterfall whose steps changed, even with the same number of them', () => {
        const moved = { ...shape, 'main/flow': ['askStep', 'checkStep', 'doneStep'] };
        expect(stackFits(stack(1), moved, shape)).to.equal(false);
        const longer = { ...shape, 'main/flow': ['askStep', 'answerStep', 'doneStep', 'moreStep'] };
        expect(stackFits(stack(1), longer, shape)).to.equal(false);
    });

    it('fits a waterfall with steps added at its end only, at one of the steps it had', () => {
        const before = { ...shape, 'main/flow': ['askStep', 'answerStep'] };
        expect(stackFits(stack(1), before, shape)).to.equal(true);
        expect(stackFits(stack(2), before, shape)).to.equal(false);
        const inserted = { ...shape, 'main/flow': ['askStep', 'doneStep'] };
        expect(stackFits(stack(1), inserted, shape)).to.equal(false);
    });

    it('does not fit a prompt of another kind, or a stack that is not one', () => {
        expect(stackFits(stack(1), { ...shape, 'main/ask': 'ChoicePrompt' }, shape)).to.equal(false);
        expect(stackFits([{ state: {} } as unknown as DialogInstance], shape, shape)).to.equal(false);
    });
});

describe('a stored profile from an earlier release', () => {
    it('is upgraded on read: its needs and words become the story a request carries', () => {
        const old = {
            needs: ['loneliness'], prefs: { place: { label: 'BS5', outcode: 'BS5' } }, suggested: ['svc-1'],
            crisisShown: false, inOwnWords: 'lonely',
        };
        const profile = upgradeProfile(old);
        expect(profile.needs).to.deep.equal(['loneliness']);
        expect(profile.prefs.place?.label).to.equal('BS5');
        expect(profile.story).to.deep.equal([{ needs: ['loneliness'], words: 'lonely' }]);
        expect(profile.everSuggested).to.deep.equal(['svc-1']);
    });

    it('keeps a story already there, and makes anything else an empty profile', () => {
        const story = [{ needs: ['money-debt'], words: 'money is tight' }];
        expect(upgradeProfile({ needs: ['loneliness'], prefs: {}, suggested: [], crisisShown: true, story }).story)
            .to.deep.equal(story);
        expect(upgradeProfile('nonsense')).to.deep.include({ needs: [], prefs: {}, suggested: [], crisisShown: false });
        expect(upgradeProfile({ needs: 'loneliness', crisisShown: 'yes' }))
            .to.deep.include({ needs: [], crisisShown: false });
    });
});
