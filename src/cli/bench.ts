/**
 * Ranking speed on a large directory: `node dist/src/cli/bench.js [KB_DIR] [RECORDS]`.
 * Copies the sample directory's records into a synthetic directory of RECORDS (default 10,000) listings with new
 * ids, names, places and dates, builds the index once, times 200 rankings with varied needs, words and preferences,
 * and prints the index build time and the p50 / p95 ranking times. It prints numbers; it asserts nothing.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDirectory } from '../knowledge/directory';
import { loadPlaceData } from '../knowledge/places';
import type { AccessFeature, DayCode, Opportunity, TimeOfDay, WelcomeFeature } from '../knowledge/schema';
import { buildDirectoryIndex, rankOpportunities } from '../matching/rank';
import type { RankQuery } from '../matching/rank';
import type { Preferences, ResolvedPlace } from '../matching/types';

const RANKINGS = 200;
const WARM_UP = 10;
const TODAY = '2026-10-01';

const TOWNS = ['Ashby', 'Brook', 'Carlton', 'Dene', 'Elm', 'Fairfield', 'Glen', 'Hartley', 'Ivy', 'Kingsley'];
const EXTRA_WORDS = ['friendly', 'weekly', 'relaxed', 'outdoor', 'community', 'local', 'volunteer', 'group', 'drop-in',
    'support', 'creative', 'gentle', 'social', 'learning', 'family', 'advice', 'healthy', 'together'];
const TEXTS = [undefined, 'lonely since my wife died', 'skint and behind on bills', 'want to get fitter', 'knitting',
    'feeling low and anxious', 'gardening with other people', 'need a food bank', 'help with my cv', 'walking group'];
const DAYS: DayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const TIMES: TimeOfDay[] = ['morning', 'afternoon', 'evening'];
const ACCESS: AccessFeature[] = ['wheelchair', 'hearing-loop', 'quiet-space'];
const WORRIES: WelcomeFeature[] = ['meet-at-door', 'bring-someone', 'beginners-welcome'];

/** A small seeded generator (mulberry32), so every run measures the same directory and queries. */
function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function pick<T>(random: () => number, items: readonly T[]): T {
    return items[Math.floor(random() * items.length)] as T;
}

function isoDaysBefore(today: string, days: number): string {
    return new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A synthetic directory: copies of the sample's records spread over a ~35 km square around their own places. */
function synthesise(sample: readonly Opportunity[], count: number, random: () => number): Opportunity[] {
    return Array.from({ length: count }, (_, i) => {
        const base = sample[i % sample.length] as Opportunity;
        const town = pick(random, TOWNS);
        const words = Array.from({ length: 3 }, () => pick(random, EXTRA_WORDS));
        const copy: Opportunity = {
            ...base,
            id: `${base.id}-syn-${i}`,
            name: `${base.name} ${town} ${i}`,
            description: `${base.description} ${words.join(' ')} in ${town}.`.slice(0, 2000),
            keywords: [...base.keywords, ...words],
            assured_date: isoDaysBefore(TODAY, Math.floor(random() * 3 * 365)),
        };
        if (base.location?.latitude !== undefined && base.location.longitude !== undefined) {
            copy.location = {
                ...base.location,
                latitude: base.location.latitude + (random() - 0.5) * 0.3,
                longitude: base.location.longitude + (random() - 0.5) * 0.5,
            };
        }
        return copy;
    });
}

function randomQuery(random: () => number, needIds: readonly string[], places: readonly ResolvedPlace[]): RankQuery {
    const needCount = Math.floor(random() * 3);
    const needs = Array.from({ length: needCount }, () => ({
        id: pick(random, needIds),
        score: 0.5 + random() / 2,
        evidence: [],
    }));
    const prefs: Preferences = {};
    if (random() < 0.8) {
        prefs.place = pick(random, places);
    }
    if (random() < 0.4) {
        prefs.onlineOk = true;
    }
    if (random() < 0.3) {
        prefs.freeOnly = true;
    }
    if (random() < 0.3) {
        prefs.days = [pick(random, DAYS)];
    }
    if (random() < 0.3) {
        prefs.times = [pick(random, TIMES)];
    }
    if (random() < 0.15) {
        prefs.access = [pick(random, ACCESS)];
    }
    if (random() < 0.2) {
        prefs.worries = [pick(random, WORRIES)];
    }
    const text = needCount === 0 ? pick(random, TEXTS.slice(1)) : pick(random, TEXTS);
    return { needs, prefs, today: TODAY, limit: 5, ...(text ? { text } : {}) };
}

function percentile(sorted: readonly number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function main(): void {
    const kbDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'knowledge'));
    const records = Number(process.argv[3] ?? 10_000);
    const random = seeded(20261001);
    const sample = loadDirectory(kbDir);
    const placeData = loadPlaceData(kbDir);
    const directory = synthesise(sample, records, random);

    const buildStart = performance.now();
    const index = buildDirectoryIndex(directory, { outcodes: placeData.outcodes });
    const buildMs = performance.now() - buildStart;

    const needIds = [...new Set(sample.flatMap((o) => o.needs))];
    const places: ResolvedPlace[] = placeData.places
        .map((p) => ({ label: p.name, latitude: p.latitude, longitude: p.longitude }));
    const queries = Array.from({ length: RANKINGS + WARM_UP }, () => randomQuery(random, needIds, places));
    const times: number[] = [];
    queries.forEach((query, i) => {
        const start = performance.now();
        rankOpportunities(index, query);
        if (i >= WARM_UP) {
            times.push(performance.now() - start);
        }
    });
    times.sort((a, b) => a - b);

    const lines = [
        `records: ${directory.length}`,
        `index build ms: ${buildMs.toFixed(1)}`,
        `rankings: ${times.length} (after ${WARM_UP} warm-up)`,
        `rank p50 ms: ${percentile(times, 50).toFixed(2)}`,
        `rank p95 ms: ${percentile(times, 95).toFixed(2)}`,
        `rank max ms: ${(times[times.length - 1] ?? NaN).toFixed(2)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
}

main();
