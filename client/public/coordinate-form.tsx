import { type FormEvent, useState } from 'react';
import type { LngLat } from '../../core/geo/lng-lat.ts';
import type { PublicStrings } from './public-strings.ts';

export interface CoordinateFormProps {
  readonly strings: PublicStrings;
  readonly onFind: (point: LngLat) => void;
}

/** "Find by coordinates": WGS-84 longitude and latitude, looked up exactly like a click on the map. */
export function CoordinateForm({ strings, onFind }: CoordinateFormProps) {
  const [lng, setLng] = useState('');
  const [lat, setLat] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const point = [Number(lng.trim()), Number(lat.trim())] as const;
    const ok = lng.trim() !== '' && lat.trim() !== '' && point.every(Number.isFinite) && Math.abs(point[0]) <= 180 && Math.abs(point[1]) <= 90;
    setInvalid(!ok);
    if (ok) onFind(point);
  };

  return (
    <form className="public-find" data-testid="find-form" onSubmit={submit} noValidate>
      <h2 className="public-heading">{strings.findHeading}</h2>
      <div className="public-find__row">
        <label className="public-field">
          <span className="public-field__label">{strings.lng}</span>
          <input name="lng" inputMode="decimal" autoComplete="off" placeholder="116.31" value={lng} onChange={(e) => setLng(e.target.value)} aria-invalid={invalid} />
        </label>
        <label className="public-field">
          <span className="public-field__label">{strings.lat}</span>
          <input name="lat" inputMode="decimal" autoComplete="off" placeholder="39.98" value={lat} onChange={(e) => setLat(e.target.value)} aria-invalid={invalid} />
        </label>
        <button type="submit" className="button public-find__button">
          {strings.find}
        </button>
      </div>
      {invalid && (
        <p className="panel-error" role="alert" data-testid="find-error">
          {strings.coordinatesInvalid}
        </p>
      )}
    </form>
  );
}
