/**
 * The channel ids Signpost's own code tells apart (botbuilder's activity.channelId). Low-level constants, so the
 * hand-off, the server and the channels can all name a channel without importing each other.
 */

/** The built-in Direct Line endpoint: the website chat. */
export const DIRECT_LINE_CHANNEL_ID = 'directline';

/** Microsoft Teams. */
export const TEAMS_CHANNEL_ID = 'msteams';

/** SMS, through Azure Bot Service's Twilio channel. */
export const SMS_CHANNEL_ID = 'sms';

/** The terminal chat (`npm run chat`). */
export const TERMINAL_CHANNEL_ID = 'terminal';
