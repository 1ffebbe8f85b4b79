/** Page requests and results shared by every list endpoint. Pages are 1-based. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const MAX_PAGE_SIZE = 200;

export function pageRequest(page?: number, pageSize?: number): PageRequest {
  const p = Number.isInteger(page) && (page ?? 0) > 0 ? (page as number) : 1;
  const s =
    Number.isInteger(pageSize) && (pageSize ?? 0) > 0 ? Math.min(pageSize as number, MAX_PAGE_SIZE) : 20;
  return { page: p, pageSize: s };
}

export function offsetOf(req: PageRequest): number {
  return (req.page - 1) * req.pageSize;
}
