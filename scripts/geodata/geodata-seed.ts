/** The seed of every generated geography: the date by which the policy wanted grids in place (2013-06-30). */
export const GEODATA_SEED = 20130630;
