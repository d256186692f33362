/** Who a resident is, without keeping their channel id (on SMS that id is their phone number). */
import { createHash } from 'node:crypto';

/** A stable one-way key for a resident on a channel. */
export function residentKeyOf(channelId: string, userId: string): string {
    return createHash('sha256').update(`signpost-resident:${channelId}:${userId}`).digest('hex').slice(0, 32);
}
