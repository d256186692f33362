/**
 * The terminal: messages go out as they are. The terminal adapter (terminal.ts) prints the text and shows buttons
 * as numbered options, or as words when the message already numbers a list of results.
 */
import type { Activity } from 'botbuilder';
import type { ChannelRenderer } from './renderer';
import { TERMINAL_CHANNEL_ID } from '../channelIds';

export class TerminalRenderer implements ChannelRenderer {
    readonly channelIds = [TERMINAL_CHANNEL_ID] as const;

    async render(activities: Partial<Activity>[]): Promise<Partial<Activity>[]> {
        return activities;
    }
}
