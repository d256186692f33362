/** Bad usage of the command line: exit code 2, with the help text. */
export class UsageError extends Error {
    override readonly name = 'UsageError';
}

/** What a command ends with: an exit code, or 'running' for a server that keeps the process alive. */
export type CommandResult = number | 'running';
