/** Someone a department or a street/town office places in grids. */
export interface Person {
  readonly id: string;
  readonly name: string;
  readonly departmentCode: string;
  /** The street/town whose grids they serve. */
  readonly streetCode: string;
  readonly duty: string;
  readonly dutyEn: string;
  /** Work phone, shown to the public on the grid's disclosure board. */
  readonly phone: string;
  readonly onDuty: boolean;
}

export interface RosterEntry extends Person {
  /** Codes of the grids this person serves: one (一人一格) or several (一人多格). */
  readonly gridCodes: readonly string[];
}

/** A person as listed for one grid, with how many grids they serve in all. */
export interface GridServant extends Person {
  readonly gridCount: number;
}
