/** The console's exchange pages (see pages.tsx for how a page is declared). */
import type { ConsolePage } from '../page';

export const PAGES: ConsolePage[] = [];
