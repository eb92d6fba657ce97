/** Where core writes what an operator may want to read. Hosts route it to their own logger. */
export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string) => void;

export const silentLog: Log = () => undefined;
