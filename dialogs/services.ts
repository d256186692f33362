/**
 * What the dialogs need from the rest of Signpost, handed to their constructors. Dialogs never build a store,
 * an index or a model themselves.
 */
import type { StatePropertyAccessor } from 'botbuilder';
import type { WorkingHours } from '../src/config';
import type { Opportunity } from '../src/knowledge/schema';
import type { Wording } from '../src/knowledge/wording';
import type { NeedScore, Preferences, RankOutcome, ResolvedPlace } from '../src/matching/types';
import type { AnalyticsStore, EscalationStore } from '../src/storage/ports';
import type { Logger } from '../src/log';
import type { EscalationNotifier } from '../src/handoff/notifier';
import type { TranscriptEntry } from '../src/handoff/escalation';
import type { RequestIntake } from '../src/handoff/intake';
import type { ResidentProfile } from './profile';

/** The matching engine, as the dialogs see it. */
export interface Matcher {
    detectNeeds(text: string): NeedScore[];
    isCrisis(text: string): boolean;
    resolvePlace(text: string): ResolvedPlace | undefined;
    rank(query: { needs: NeedScore[]; text?: string; prefs: Preferences; limit: number; offset: number }): RankOutcome;
    opportunity(id: string): Opportunity | undefined;
    /** Need ids in the order offered to residents. */
    needIds(): string[];
    /** Short label for a list ("Feeling lonely or wanting company"). */
    askLabel(needId: string): string;
    /** Words for "help with ___" ("feeling lonely and meeting people"). */
    reflectLabel(needId: string): string;
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
    matcher: Matcher;
    escalations: EscalationStore;
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
}

/** turnState key: set when the resident asked to delete their data; the bot deletes state after the turn. */
export const DELETE_STATE_AFTER_TURN = 'signpost.deleteStateAfterTurn';

/**
 * turnState key: an opaque key for the resident's client address, set by the server's own website chat endpoint
 * (never read from the activity, which a client writes), for the per-address limit on requests for contact.
 */
export const CLIENT_ADDRESS_KEY = 'signpost.clientAddressKey';
