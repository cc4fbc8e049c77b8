import type { Random } from './random.ts';

/** Korean surnames with a rough frequency weight (per cent of the population) and the usual romanisation. */
const SURNAMES: ReadonlyArray<readonly [string, string, number]> = [
  ['김', 'Kim', 21.5], ['이', 'Lee', 14.7], ['박', 'Park', 8.4], ['최', 'Choi', 4.7], ['정', 'Jung', 4.3],
  ['강', 'Kang', 2.3], ['조', 'Cho', 2.1], ['윤', 'Yoon', 2.1], ['장', 'Jang', 2.0], ['임', 'Lim', 1.7],
  ['한', 'Han', 1.5], ['오', 'Oh', 1.5], ['서', 'Seo', 1.4], ['신', 'Shin', 1.4], ['권', 'Kwon', 1.4],
  ['황', 'Hwang', 1.4], ['안', 'Ahn', 1.3], ['송', 'Song', 1.3], ['전', 'Jeon', 1.1], ['홍', 'Hong', 1.1],
  ['유', 'Yoo', 1.1], ['고', 'Ko', 0.9], ['문', 'Moon', 0.9], ['양', 'Yang', 0.9], ['손', 'Son', 0.9],
  ['배', 'Bae', 0.8], ['백', 'Baek', 0.8], ['허', 'Heo', 0.6], ['남', 'Nam', 0.6], ['심', 'Shim', 0.5],
  ['노', 'Noh', 0.5], ['하', 'Ha', 0.5], ['곽', 'Kwak', 0.4], ['성', 'Sung', 0.4], ['차', 'Cha', 0.4],
  ['주', 'Joo', 0.4], ['우', 'Woo', 0.4], ['구', 'Koo', 0.4], ['민', 'Min', 0.3], ['류', 'Ryu', 0.3],
  ['나', 'Na', 0.3], ['진', 'Jin', 0.3], ['지', 'Ji', 0.3], ['엄', 'Eom', 0.3], ['채', 'Chae', 0.3],
  ['원', 'Won', 0.3], ['천', 'Cheon', 0.2], ['방', 'Bang', 0.2], ['공', 'Kong', 0.2], ['현', 'Hyun', 0.2],
  ['함', 'Ham', 0.2], ['변', 'Byun', 0.2], ['염', 'Yeom', 0.2], ['여', 'Yeo', 0.2], ['추', 'Choo', 0.2],
  ['도', 'Do', 0.1], ['석', 'Seok', 0.1], ['선', 'Sun', 0.1], ['설', 'Seol', 0.1], ['마', 'Ma', 0.1],
  ['길', 'Gil', 0.1], ['연', 'Yeon', 0.1], ['위', 'Wi', 0.1], ['표', 'Pyo', 0.1], ['명', 'Myung', 0.1],
];

/** Syllables common in given names, with the romanisation people usually choose. */
const FIRST_SYLLABLES: ReadonlyArray<readonly [string, string]> = [
  ['민', 'min'], ['서', 'seo'], ['지', 'ji'], ['수', 'su'], ['현', 'hyun'], ['준', 'jun'], ['예', 'ye'],
  ['도', 'do'], ['하', 'ha'], ['윤', 'yoon'], ['시', 'si'], ['주', 'ju'], ['은', 'eun'], ['승', 'seung'],
  ['재', 'jae'], ['태', 'tae'], ['유', 'yu'], ['채', 'chae'], ['소', 'so'], ['다', 'da'], ['성', 'sung'],
  ['정', 'jung'], ['영', 'young'], ['동', 'dong'], ['상', 'sang'], ['혜', 'hye'], ['경', 'kyung'],
  ['진', 'jin'], ['우', 'woo'], ['연', 'yeon'], ['건', 'geon'], ['나', 'na'], ['규', 'gyu'], ['희', 'hee'],
];
const SECOND_SYLLABLES: ReadonlyArray<readonly [string, string]> = [
  ['준', 'jun'], ['서', 'seo'], ['연', 'yeon'], ['우', 'woo'], ['진', 'jin'], ['호', 'ho'], ['민', 'min'],
  ['현', 'hyun'], ['원', 'won'], ['아', 'a'], ['윤', 'yoon'], ['은', 'eun'], ['영', 'young'], ['희', 'hee'],
  ['수', 'su'], ['빈', 'bin'], ['훈', 'hoon'], ['환', 'hwan'], ['혁', 'hyuk'], ['석', 'seok'], ['철', 'cheol'],
  ['린', 'rin'], ['율', 'yul'], ['하', 'ha'], ['인', 'in'], ['지', 'ji'], ['경', 'kyung'], ['용', 'yong'],
  ['미', 'mi'], ['주', 'ju'], ['혜', 'hye'], ['성', 'sung'], ['규', 'gyu'], ['솔', 'sol'], ['담', 'dam'],
];

export interface PersonName {
  name: string;
  nameEn: string;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A realistic Korean full name, e.g. 김민준 / Kim Min-jun. */
const WEIGHTED_SURNAMES = SURNAMES.map(([ko, en, w]) => [[ko, en] as const, w] as const);

export function koreanName(rng: Random): PersonName {
  const [surname, surnameEn] = rng.weighted(WEIGHTED_SURNAMES);
  const [a, aEn] = rng.pick(FIRST_SYLLABLES);
  let [b, bEn] = rng.pick(SECOND_SYLLABLES);
  if (b === a) [b, bEn] = rng.pick(SECOND_SYLLABLES);
  return { name: `${surname}${a}${b}`, nameEn: `${surnameEn} ${capitalise(aEn)}-${bEn}` };
}
