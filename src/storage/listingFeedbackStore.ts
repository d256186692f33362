/**
 * The listing feedback port (issue 21): residents' reports that a listing is wrong, and the curators' decisions on
 * listings. A report holds the listing's id, the kind of problem, when and on which channel: nothing about the
 * resident.
 */

/** What a resident said is wrong with a listing. */
export type ListingProblem = 'closed' | 'phone' | 'time' | 'place' | 'other';

/** One resident's report against one listing. */
export interface ListingReport {
    listingId: string;
    problem: ListingProblem;
    /** ISO time of the report. */
    at: string;
    /** The channel id it came from (webchat, msteams, sms...). */
    channel: string;
}

/** What the conversation needs: recording a report. The curation queue's reads and decisions extend this port. */
export interface ListingReportSink {
    recordReport(report: ListingReport): Promise<void>;
}
