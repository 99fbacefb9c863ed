export const format = (value: string) => value.trim();
