/** `1 session`, `2 sessions`. */
export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** One line of output. */
export const line = (text: string): string => `${text}\n`;
