import { useEffect, useState } from 'react';
import type { Engine, EngineInfo } from '../engine/api.js';

/** Host name and engine facts, read once: they do not change while the dashboard runs. */
export function useEngineInfo(engine: Engine): EngineInfo | undefined {
  const [info, setInfo] = useState<EngineInfo | undefined>();
  useEffect(() => {
    let alive = true;
    engine.system.info().then(
      (i) => alive && setInfo(i),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [engine]);
  return info;
}
