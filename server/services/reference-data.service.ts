import type { ReferenceData } from '../reference/read-reference-data.ts';
import type { Store } from '../store/store.ts';

/**
 * First start: an empty store gets the reference catalogue, geography and roster, in that order
 * (people refer to grids and departments). Each part is loaded only when missing, so a start that
 * was interrupted half-way finishes the job next time, and an imported geography or an edited
 * roster is never overwritten.
 */
export async function ensureReferenceData(store: Store, read: () => ReferenceData, log: (line: string) => void): Promise<boolean> {
  const missingCatalogue = (await store.catalogue.departments()).length === 0;
  const missingGeography = (await store.geography.version()) === undefined;
  const missingRoster = missingGeography || (await store.personnel.count()) === 0;
  if (!missingCatalogue && !missingGeography && !missingRoster) return false;
  const started = Date.now();
  const data = read();
  const g = data.geography;
  log(
    `loading reference data: ${g.streets.length} streets/towns, ${g.communities.length} communities, ${g.grids.length} grids, ` +
      `${data.roster.length} people, ${data.catalogue.categories.length} categories…`,
  );
  if (missingCatalogue) await store.catalogue.replace(data.departments, data.catalogue);
  if (missingGeography) await store.geography.replace(g, data.source);
  if (missingRoster) await store.personnel.replace(data.roster);
  await store.analyze();
  log(`reference data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
