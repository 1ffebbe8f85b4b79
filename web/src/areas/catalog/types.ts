/** Shapes of the catalog editing pages, from the server's TypeBox schemas (type-only imports). */
import type { Static } from '@fastify/type-provider-typebox';
import type {
  ConsumerPageSchema,
  ConsumerSchema,
  EntryInputSchema,
  ItemInputSchema,
  ReviewQueueSchema,
} from '../../../../src/modules/catalog/catalog.schema.js';

export type EntryInput = Static<typeof EntryInputSchema>;
export type ItemInput = Static<typeof ItemInputSchema>;
export type Consumer = Static<typeof ConsumerSchema>;
export type ConsumerPage = Static<typeof ConsumerPageSchema>;
export type ReviewQueue = Static<typeof ReviewQueueSchema>;
export type ReviewRow = ReviewQueue['items'][number];

/** POST /catalog/import/check: every problem of a workbook at its sheet, row and column. */
export interface ImportProblem {
  sheet: string;
  row: number;
  column: string;
  field: string;
  rule: string;
  zh: string;
  en: string;
}

/** POST /catalog/import (201). */
export interface ImportResult {
  created: number;
  entries: { code: string; name: string; id: string }[];
}
