/** Explicit async state for every load, instead of scattered booleans. */
export type AsyncStatus = 'idle' | 'loading' | 'error' | 'done';
