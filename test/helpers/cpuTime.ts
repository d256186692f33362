/**
 * CPU time, not wall-clock time, for the few tests that guard against a catastrophic slowdown (a regular expression
 * that backtracks, a loop that goes quadratic). On a busy machine (a shared CI runner, other test files running) a
 * wall-clock budget fails for reasons that have nothing to do with the code; this process's own CPU time does not
 * grow when others take the cores. Speed targets proper live in `npm run bench` and `npm run eval`.
 */

/** Milliseconds of CPU (user + system) this process spent running `work`. */
export function cpuMs(work: () => void): number {
    const before = process.cpuUsage();
    work();
    const spent = process.cpuUsage(before);
    return (spent.user + spent.system) / 1000;
}
