/**
 * Contact details as residents type them: one reading of a UK phone number, shared by the dialog that asks for it
 * (conversation/parse.ts) and the intake that compares it with open requests (intake.ts), so a number the bot
 * accepts is always the number that is compared and counted.
 */
import { foldForMatching } from '../unicode';
import type { ContactMethod } from '../storage/escalationRecord';

/** A UK phone number, normalised to national form (digits with a leading 0), or undefined. */
export function parseUkPhone(text: string): string | undefined {
    const digits = foldForMatching(text).replace(/[\s().-]/g, '');
    if (/^(\+44|0044)\d{9,10}$/.test(digits)) return '0' + digits.replace(/^(\+44|0044)/, '');
    if (/^0\d{9,10}$/.test(digits)) return digits;
    return undefined;
}

/** A contact detail as one text whatever way it was typed: a UK number in national form, an e-mail in lower case. */
export function normalisedContact(method: ContactMethod, value: string): string {
    if (method === 'email') return `email:${value.trim().toLowerCase()}`;
    // Phone and text are the same number: one key for both. A value the dialog would not have taken (it only
    // stores parsed numbers) is kept as its digits, so it still never matches another number.
    return `phone:${parseUkPhone(value) ?? value.replace(/[^\d+]/g, '')}`;
}
