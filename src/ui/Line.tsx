/**
 * One pre-formatted terminal line, optionally in several runs (see formatRowParts). Memoized on
 * its text: when a tick changes three rows of fifty, React re-renders three lines and Ink's
 * incremental mode rewrites three lines.
 */
import { memo } from 'react';
import { Box, Text } from 'ink';

export const Line = memo(
  function Line(props: { text: string; parts?: readonly string[] }) {
    const parts = props.parts;
    if (!parts || parts.length <= 1) return <Text wrap="truncate-end">{props.text}</Text>;
    return (
      <Box flexDirection="row" flexShrink={0}>
        {parts.map((p, i) => (
          <Text key={i} wrap="truncate-end">
            {p}
          </Text>
        ))}
      </Box>
    );
  },
  (a, b) => a.text === b.text,
);
