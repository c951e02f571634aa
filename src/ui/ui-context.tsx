/**
 * Theme and glyphs for every component below, so tests can render in NO_COLOR / ASCII mode by
 * swapping the provider instead of mutating process.env.
 */
import { createContext, useMemo, type ReactNode } from 'react';
import { makeTheme, type Theme } from './theme.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS, type Glyphs } from './glyphs.js';
import type { TerminalCaps } from './terminal-caps.js';

export interface UiStyle {
  theme: Theme;
  glyphs: Glyphs;
}

export function styleFor(caps: TerminalCaps): UiStyle {
  return { theme: makeTheme(caps.color), glyphs: caps.unicode ? UNICODE_GLYPHS : ASCII_GLYPHS };
}

export const UiContext = createContext<UiStyle>(styleFor({ color: true, unicode: true }));

export function UiProvider(props: { caps: TerminalCaps; children: ReactNode }) {
  const { color, unicode } = props.caps;
  const value = useMemo(() => styleFor({ color, unicode }), [color, unicode]);
  return <UiContext.Provider value={value}>{props.children}</UiContext.Provider>;
}
