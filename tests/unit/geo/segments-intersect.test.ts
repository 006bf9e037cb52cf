import { describe, expect, it } from 'vitest';
import { orientation, segmentsIntersect } from '../../../core/geo/segments-intersect.ts';

type Segment = readonly [number, number, number, number];

/** Both argument orders and both directions of each segment must give the same answer. */
function intersectsEveryWay(ab: Segment, cd: Segment): boolean[] {
  const flip = (s: Segment): Segment => [s[2], s[3], s[0], s[1]];
  const pairs: [Segment, Segment][] = [[ab, cd], [cd, ab], [flip(ab), cd], [ab, flip(cd)], [flip(cd), flip(ab)]];
  return pairs.map(([p, q]) => segmentsIntersect(...p, ...q));
}

describe('segmentsIntersect', () => {
  it.each<[string, Segment, Segment, boolean]>([
    ['crossing in their interiors', [0, 0, 2, 2], [0, 2, 2, 0], true],
    ['touching at an endpoint of both', [0, 0, 1, 1], [1, 1, 2, 0], true],
    ['touching where one ends on the other (a T)', [0, 0, 2, 0], [1, 0, 1, 1], true],
    ['collinear and overlapping', [0, 0, 2, 0], [1, 0, 3, 0], true],
    ['collinear, one containing the other', [0, 0, 4, 4], [1, 1, 2, 2], true],
    ['collinear and meeting end to end', [0, 0, 1, 0], [1, 0, 2, 0], true],
    ['collinear and disjoint', [0, 0, 1, 0], [2, 0, 3, 0], false],
    ['collinear on a slant and disjoint', [0, 0, 1, 1], [2, 2, 3, 3], false],
    ['parallel', [0, 0, 2, 0], [0, 1, 2, 1], false],
    ['on crossing lines, but one stops short', [0, 0, 2, 2], [0, 2, 0.9, 1.1], false],
    ['one stopping just short of the other', [0, 0, 2, 0], [1, 0.5, 1, 0.001], false],
    ['identical', [116.25, 40.0, 116.5, 40.25], [116.25, 40.0, 116.5, 40.25], true],
    ['a point on a segment', [0, 0, 2, 2], [1, 1, 1, 1], true],
    ['a point off a segment', [0, 0, 2, 2], [1, 1.5, 1, 1.5], false],
  ])('when %s', (_name, ab, cd, expected) => {
    expect(intersectsEveryWay(ab, cd)).toEqual([expected, expected, expected, expected, expected]);
  });
});

describe('orientation', () => {
  it('is positive for a left turn, negative for a right turn and zero for collinear points', () => {
    expect([Math.sign(orientation(0, 0, 1, 0, 1, 1)), Math.sign(orientation(0, 0, 1, 0, 1, -1)), orientation(0, 0, 1, 1, 3, 3)]).toEqual([1, -1, 0]);
  });

  it('is twice the signed area of the triangle', () => {
    expect(orientation(0, 0, 4, 0, 0, 3)).toBe(12);
  });
});
