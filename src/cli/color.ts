/**
 * Whether to colour what goes to a stream: NO_COLOR wins, FORCE_COLOR forces (unless 0),
 * otherwise a terminal that is not `dumb`.
 */
export function wantsColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return isTTY && env.TERM !== 'dumb';
}
