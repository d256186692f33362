/** Stub: the prose reader, written after its tests. */
export interface Fact { value: string; from: string; span: string }
export function readPhones(_t: { field: string; text: string }[]): Fact[] { return []; }
export function readEmails(_t: { field: string; text: string }[]): Fact[] { return []; }
export function readPrice(_t: { field: string; text: string }[]): (Fact & Record<string, unknown>) | undefined { return undefined; }
export function readDelivery(_t: { field: string; text: string }[]): Fact[] { return []; }
export function readSchedules(_t: { field: string; text: string }[]): (Fact & Record<string, unknown>)[] { return []; }
export function readForWhom(_t: { field: string; text: string }[]): (Fact & Record<string, unknown>)[] { return []; }
export function readProse(_t: { field: string; text: string }[]): Record<string, any> { return { phones: [], forWhom: [] }; }
