/** The engine reaches screens through context: tests and the Docker backend swap it freely. */
import { createContext, useContext } from 'react';
import type { Engine } from '../engine/api.js';

export const EngineContext = createContext<Engine | undefined>(undefined);

export function useEngine(): Engine {
  const e = useContext(EngineContext);
  if (!e) throw new Error('useEngine outside <EngineContext.Provider>');
  return e;
}
