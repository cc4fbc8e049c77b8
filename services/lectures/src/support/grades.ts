/** Grades (학년) 1..4 are stored as a bit mask: bit (g-1) set = grade g. 15 = every grade. */
export const ALL_GRADES = [1, 2, 3, 4] as const;
export const ALL_GRADES_MASK = 15;

export function gradesToMask(grades: readonly number[]): number {
  return grades.reduce((mask, g) => mask | (1 << (g - 1)), 0);
}

export function maskToGrades(mask: number): number[] {
  return ALL_GRADES.filter((g) => (Number(mask) & (1 << (g - 1))) !== 0);
}

export function gradeBit(grade: number): number {
  return 1 << (grade - 1);
}
