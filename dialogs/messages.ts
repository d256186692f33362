/** Building the messages dialogs send. Buttons are suggested actions; each channel's renderer decides their look. */
import { InputHints, MessageFactory, type Activity } from 'botbuilder';

/**
 * channelData flag: the message already numbers something else (a list of results), so text-only channels
 * must show these buttons as words, not as numbers the resident could confuse with the list.
 */
export const CHOICES_AS_WORDS = 'signpostChoicesAsWords';

/** A question with optional buttons. The button label is also the text sent back, so typing it works too. */
export function question(text: string, buttons: string[] = [], options: { asWords?: boolean } = {}): Partial<Activity> {
    const activity = buttons.length
        ? MessageFactory.suggestedActions(buttons, text)
        : MessageFactory.text(text);
    activity.inputHint = InputHints.ExpectingInput;
    if (options.asWords) activity.channelData = { [CHOICES_AS_WORDS]: true };
    return activity;
}

/** A numbered list in plain text, which reads the same on every channel, SMS included. */
export function numberedList(items: string[], start = 1): string {
    return items.map((item, i) => `${start + i}. ${item}`).join('\n');
}
