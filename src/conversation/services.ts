/**
 * What the dialogs need from the rest of Signpost, handed to their constructors. Dialogs never build a store,
 * an index or a model themselves.
 */
import type { ScheduledMessageStore } from '../storage/scheduledMessageStore';
import type { StatePropertyAccessor } from 'botbuilder';
import type { WorkingHours } from '../config';
import type { Opportunity } from '../knowledge/schema';
import type { Wording } from '../knowledge/wording';
import type { IntentLexicon } from '../knowledge/intents';
import type { NeedScore, Preferences, RankOutcome, ResolvedPlace } from '../matching/types';
import type { Wishes } from '../matching/wishes';
import type { AnalyticsStore } from '../storage/analyticsStore';
import type { EscalationStore } from '../storage/escalationStore';
import type { Logger } from '../log';
import type { EscalationNotifier } from '../handoff/notifier';
import type { TranscriptEntry } from '../storage/escalationRecord';
import type { RequestIntake } from '../handoff/intake';
import type { Sender } from '../sending/port';
import type { ListingReportSink } from '../storage/listingFeedbackStore';
import type { CrisisRouteItem } from './messages';
import type { ResidentProfile } from './profile';

/**
 * The matching engine, as the conversation sees it: one face for the dialogs, the bot and the error path (built over
 * the engine and the languages' wording by src/conversation/matching.ts).
 */
export interface Matching extends Matcher {
    /** Kinds of immediate risk in the text, most urgent first; empty when there is none. */
    crisisKinds(text: string): string[];
    /** Who to contact for those kinds, most urgent first. */
    crisisRoutes(kinds: string[]): CrisisRouteItem[];
    /**
     * A short line in the resident's language, shown just before the routes, when the crisis was found by another
     * language's rules (999 with an interpreter, the Samaritans, Childline when about a child).
     */
    crisisLine(text: string): { language: string; line: string } | undefined;
    /**
     * For a crisis about someone else (issue 18), the words for a helper: a first line instead of the usual one, and
     * how to help them after the routes (knowledge/crisis.json "helping"). Undefined: the usual reply. Optional, so a
     * stand-in without it gives the usual reply.
     */
    crisisHelping?(text: string): { intro: string; lines: string[] } | undefined;
    /** The language of a message (ISO 639-1); "en" also when it cannot tell. */
    language(text: string): string;
    /** The one line for a language Signpost cannot yet converse in; undefined for one it can. */
    unsupportedLine(code: string): string | undefined;
}

/** The part of the matching engine the dialogs use. */
export interface Matcher {
    /** The needs a message names; `locale`: the conversation's language, which picks the lexicon (engine.ts). */
    detectNeeds(text: string, locale?: string): NeedScore[];
    resolvePlace(text: string): ResolvedPlace | undefined;
    /** What a message says the resident wants or rules out (not Sundays, not on the phone, can pay, who they are). */
    readWishes(text: string): Wishes;
    /**
     * Ranked listings; `nearbySlot`: the page size, so a first page far from the place gets one near it (rank.ts);
     * `about`: `other` when the resident asks for someone else, so the reasons say "near them" (issue 18).
     */
    rank(query: {
        needs: NeedScore[]; text?: string; prefs: Preferences; limit: number; offset: number; nearbySlot?: number;
        about?: 'self' | 'other';
    }): RankOutcome;
    opportunity(id: string): Opportunity | undefined;
    /** Need ids in the order offered to residents. */
    needIds(): string[];
    /** Short label for a list ("Feeling lonely or wanting company"). */
    askLabel(needId: string): string;
    /** Words for "help with ___" ("feeling lonely and meeting people"); `them`: of someone else ("their housing"). */
    reflectLabel(needId: string, them?: boolean): string;
}

export interface DialogSettings {
    serviceName: string;
    stateDays: number;
    referralDays: number;
    responseDays: number;
    /** When connectors work; without it the hand-off never mentions working hours. */
    connectorHours?: WorkingHours;
}

export interface DialogServices {
    wording: Wording;
    /** The words a resident's intent is read by (knowledge/intents/en.json), before any question reads the answer. */
    intents: IntentLexicon;
    matcher: Matching;
    escalations: EscalationStore;
    /** Reminders and check-ins (issue 22): "delete my data" cancels the resident's and deletes the address kept. */
    scheduled?: Pick<ScheduledMessageStore, 'cancelForResident'>;
    /** Stores a request, merges a repeat into the open one, or refuses it over a limit. */
    intake: RequestIntake;
    /** Anonymous counts for the lead report (needs the bot found nothing for). */
    analytics: Pick<AnalyticsStore, 'recordUnmet'>;
    /** Tells connectors of a new request outside the workspace (a Teams card); never throws. */
    notifier: EscalationNotifier;
    profile: StatePropertyAccessor<ResidentProfile>;
    /** The running transcript of the chat; copied into a request only when the resident agrees. */
    transcript?: StatePropertyAccessor<TranscriptEntry[]>;
    settings: DialogSettings;
    log: Logger;
    now: () => Date;
    /**
     * Sends the resident's saved list by text or e-mail (issue 21; src/sending/, counted in /metrics, never logs the
     * address). Absent, or with no kind it can send: "send me these" says kindly that sending isn't available here
     * and offers print (website chat) or the list again.
     */
    sender?: Sender;
    /** Records "this listing is wrong" (listing id, problem, time, channel: nothing about the resident). */
    listingReports?: ListingReportSink;
}
