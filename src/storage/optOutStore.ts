/** The SMS opt-outs port. */

/** SMS numbers that texted STOP: nothing more is sent to them until they text START. Keyed by resident key. */
export interface OptOutStore {
    isOptedOut(residentKey: string): Promise<boolean>;
    /** Records opting out (true) or back in (false), and when. */
    record(residentKey: string, optedOut: boolean, at: string): Promise<void>;
}
