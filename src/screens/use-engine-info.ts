import { useEffect, useState } from 'react';
import type { Engine, EngineInfo } from '../engine/api.js';

/** Host name and engine facts, read once per engine: they do not change while the dashboard runs. */
/** `retryKey` changing (the host came back) reads again if the last read failed. */
export function useEngineInfo(engine: Engine | undefined, retryKey = ''): EngineInfo | undefined {
  const [info, setInfo] = useState<{ engine: Engine; info: EngineInfo } | undefined>();
  useEffect(() => {
    if (!engine || (info && info.engine === engine)) return;
    let alive = true;
    engine.system.info().then(
      (i) => alive && setInfo({ engine, info: i }),
      () => undefined,
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `info` only short-cuts a re-read
  }, [engine, retryKey]);
  // Another host's facts are never shown as this one's while its own are on the way.
  return info && info.engine === engine ? info.info : undefined;
}
