/**
 * The turn's one dialog context (src/bot/turnDialogs.ts): shared by the middleware and the bot, and made without
 * botbuilder building its memory scopes and path resolvers again on every turn.
 */
import { expect } from 'chai';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { DialogSet, TextPrompt, type DialogState } from 'botbuilder-dialogs';
import { TurnDialogs } from '../../src/bot/turnDialogs';

function turn(): TurnContext {
    const activity = {
        type: ActivityTypes.Message, channelId: 'test', conversation: { id: 'c1' }, from: { id: 'r1' },
        recipient: { id: 'bot' }, text: 'hello',
    } as Activity;
    return new TurnContext(new TestAdapter(), activity);
}

describe('TurnDialogs', () => {
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new TurnDialogs(new DialogSet(state.createProperty<DialogState>('dialogState'))
        .add(new TextPrompt('prompt')));

    it('hands out one dialog context per turn', async () => {
        const context = turn();
        expect(await dialogs.of(context)).to.equal(await dialogs.of(context));
        expect(await dialogs.of(turn())).to.not.equal(await dialogs.of(context));
    });

    it('gives every turn the same memory scopes and path resolvers, made once, as botbuilder would make them',
        async () => {
        const first = (await dialogs.of(turn())).state.configuration;
        const second = (await dialogs.of(turn())).state.configuration;
        expect(second).to.equal(first);
        // What botbuilder makes for a turn by itself, scope by scope and resolver by resolver.
        const own = (await new DialogSet(state.createProperty<DialogState>('other')).createContext(turn()))
            .state.configuration;
        const names = (list: object[]) => list.map((o) => o.constructor.name);
        expect(names(first.memoryScopes)).to.deep.equal(names(own.memoryScopes)).and.include('ConversationMemoryScope');
        expect(names(first.pathResolvers)).to.deep.equal(names(own.pathResolvers));
    });
});
