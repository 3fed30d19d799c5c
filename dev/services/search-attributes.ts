// The list lives with the keys it is derived from (contracts/search-attributes.ts).
export {
  SHOWRUNNER_SEARCH_ATTRIBUTES,
  type RegisteredSearchAttributeType as SearchAttributeType,
} from '../../contracts/search-attributes';
