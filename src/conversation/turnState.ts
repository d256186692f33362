/**
 * The names under which a turn's layers pass things to each other: turnState keys set by one layer and read by
 * another, and conversation-state properties more than one layer reads. They live here, below the bot, the dialogs
 * and the channels, so none of those has to import another to agree on a name.
 */

/** turnState key: set when the resident asked to delete their data; the bot deletes state after the turn. */
export const DELETE_STATE_AFTER_TURN = 'signpost.deleteStateAfterTurn';

/**
 * turnState key: the words to keep in place of the resident's message of this turn (a number or address typed to
 * send their list, used once and not kept). The website chat's endpoint replaces the stored message with them.
 */
export const REPLACE_MESSAGE_AFTER_TURN = 'signpost.replaceMessageAfterTurn';

/**
 * turnState key: an opaque key for the resident's client address, set by the server's own website chat endpoint
 * (never read from the activity, which a client writes), for the per-address limit on requests for contact.
 */
export const CLIENT_ADDRESS_KEY = 'signpost.clientAddressKey';

/** The conversation-state property holding the dialog stack (channels may clear it, as SMS does on STOP). */
export const DIALOG_STATE_PROPERTY = 'dialogState';

/**
 * The conversation-state property holding the running transcript (src/bot/transcript.ts records it). SMS clears it
 * on STOP with the dialog stack, so contact details given to a hand-off that STOP ended are not kept.
 */
export const TRANSCRIPT_PROPERTY = 'transcript';
