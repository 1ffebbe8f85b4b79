/** The console's catalog editing pages (see pages.tsx for how a page is declared). */
import type { ConsolePage } from '../page';

export const PAGES: ConsolePage[] = [];
