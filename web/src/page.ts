/** What a console page is, and how to declare one lazily (shared by pages.tsx and areas/*.tsx). */
import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import { lazy } from 'react';
import type { MessageKey } from './i18n';

export interface ConsolePage {
  /** react-router path, e.g. '/catalog/entries/:id'. */
  path: string;
  /** The permission (GET /auth/me → permissions) the page needs; none: every signed-in user. */
  permission?: string;
  /** In the side menu, under this label; pages below a menu path light up their parent. */
  menu?: { label: MessageKey; icon: ReactNode };
  component: LazyExoticComponent<ComponentType>;
  /** Fetches the page's code ahead of need (the same module the lazy component loads). */
  preload: () => Promise<unknown>;
}

type Module = Promise<{ default: ComponentType }>;

/** A lazily loaded page whose code can also be fetched ahead (e.g. the workbench while signing in). */
export function page(load: () => Module): Pick<ConsolePage, 'component' | 'preload'> {
  return { component: lazy(load), preload: load };
}
