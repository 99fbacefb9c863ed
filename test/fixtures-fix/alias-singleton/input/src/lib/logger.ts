export const logger = { info: (...args: unknown[]) => console.log(...args) };
