import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countOf } from '../../../workflows/show/count-of';

void test('countOf: singular for one, plural otherwise', () => {
  assert.equal(countOf(1, 'participant token'), '1 participant token');
  assert.equal(countOf(2, 'participant token'), '2 participant tokens');
  assert.equal(countOf(0, 'duplicate'), '0 duplicates');
  assert.equal(countOf(3, 'index', 'indices'), '3 indices');
});
