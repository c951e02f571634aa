/** A window onto pre-formatted lines (detail and logs views); the caller owns the offset. */
import { Box } from 'ink';
import { Line } from './Line.js';

export function ScrollText(props: { lines: readonly string[]; offset: number; height: number; width: number }) {
  const visible = props.lines.slice(props.offset, props.offset + props.height);
  return (
    <Box flexDirection="column" height={props.height} width={props.width} overflow="hidden">
      {visible.map((l, i) => (
        <Line key={i} text={l} />
      ))}
    </Box>
  );
}
