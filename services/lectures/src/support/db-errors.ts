/** Database helpers shared by every service live in @goorm/common; the catalog names them so. */
export {
  containsPattern as likeContains,
  isForeignKeyViolation,
  isUniqueViolation,
  onUniqueViolation,
  toIsoDate,
} from '@goorm/common';

/** The LIKE escape clause matching containsPattern (one escape character on SQLite and MySQL). */
export const LIKE_ESCAPE = "ESCAPE '!'";
