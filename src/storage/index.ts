/** Chooses the store for this deployment. MongoDB arrives with its own adapter; the embedded one is the default. */
import type { Stores } from './ports';
import { openEmbeddedStores } from './embedded/sqliteStores';

export function openStores(options: { dataDir: string }): Stores {
    return openEmbeddedStores(options.dataDir);
}
export type { Stores } from './ports';
