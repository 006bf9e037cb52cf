import { useStrings } from '../app/i18n.tsx';
import { useNow } from '../state/use-now.ts';

/** Beijing time, to the second, and the date: the wall's clock. */
export function WallClock() {
  const strings = useStrings();
  const now = useNow(1_000);
  return (
    <div className="wall-clock" data-testid="wall-clock">
      <time className="wall-clock__time" dateTime={new Date(now).toISOString()}>
        {strings.clockTime(now)}
      </time>
      <span className="wall-clock__date">{strings.clockDate(now)}</span>
    </div>
  );
}
