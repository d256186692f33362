/**
 * A small seeded random generator (mulberry32), for the command-line tools that must repeat a run exactly: the
 * kill test (--seed), the bench's synthetic directories and queries, and the directory eval's judging pool.
 */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
