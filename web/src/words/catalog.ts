/** The words of the console's catalog editing pages, in zh-CN (the key type comes from here) and English. */
export const zh = {} as const;

export const en: Record<keyof typeof zh, string> = {};
