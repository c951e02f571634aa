/**
 * One pre-formatted terminal line. Memoized on its text: a frame that changes other parts of
 * the screen does not re-render it.
 */
import { memo } from 'react';
import { Text } from 'ink';

export const Line = memo(
  function Line(props: { text: string }) {
    return <Text wrap="truncate-end">{props.text}</Text>;
  },
  (a, b) => a.text === b.text,
);
