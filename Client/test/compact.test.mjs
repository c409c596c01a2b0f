// CompactReader: the compact form of docs/protocol.md 1.13 read back into the JSON form's frames, in plain node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactReader, COMPACT_PROTOCOL } from '../src/compact.js';

const EPOCH = '9f2c4e1b7a0d4c3e8f6a5b2c1d0e9f8a';

function snapshot(h, chart = 'AAPL|1m|SMA(close,20)') {
  return { type: 'chart.snapshot', id: 'r1', data: { h, chartId: 'c1', chart, epoch: EPOCH, seq: 57, bars: [], indicators: [] } };
}

test('the subprotocol is the one the gateway names', () => {
  assert.equal(COMPACT_PROTOCOL, 'rt.compact.v2');
});

test('a snapshot announces its handle and reaches handlers without it, as in the JSON form', () => {
  const reader = new CompactReader();
  const frame = snapshot(3);
  reader.announce(frame);
  assert.equal('h' in frame.data, false);
  assert.deepEqual(reader.update([3, 58, [[1767225660000, 106.9, 107, 106.7, 106.75, 330, 0, 106.7]]]), {
    type: 'chart.update',
    data: {
      chart: 'AAPL|1m|SMA(close,20)', epoch: EPOCH, seq: 58, prev: 57,
      bars: [[1767225660000, 106.9, 107, 106.7, 106.75, 330, 0]], indicators: [[[106.7]]],
    },
  });
});

test('a merged revision keeps its prev, and nulls and multi-output indicators are as in the JSON form', () => {
  const reader = new CompactReader();
  reader.announce(snapshot(4, 'X|1m|SMA(close,5);MACD(close,12,26,9)'));
  const update = reader.update([4, 61, [
    [1, 1, 1, 1, 1, 1, 1, null, null],
    [2, 2, 2, 2, 2, 2, 0, 2.5, [0.1, null, -0.2]],
  ], 57, 1]);
  assert.deepEqual(update?.data, {
    chart: 'X|1m|SMA(close,5);MACD(close,12,26,9)', epoch: EPOCH, seq: 61, prev: 57, revision: true,
    bars: [[1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2, 0]],
    indicators: [[null, [2.5]], [null, [0.1, null, -0.2]]],
  });
});

test('a new epoch announced on a handle applies to the updates after it', () => {
  const reader = new CompactReader();
  reader.announce(snapshot(5));
  reader.announce({ type: 'chart.snapshot', data: { h: 5, chartId: null, chart: 'AAPL|1m|SMA(close,20)', epoch: 'e2', seq: 0 } });
  assert.equal(reader.update([5, 1, []])?.data.epoch, 'e2');
});

test('a ticker update reads back to the whole line', () => {
  const reader = new CompactReader();
  reader.announce({ type: 'ticker.resumed', data: { h: 9, symbol: 'AAPL', epoch: 'e', seq: 12 } });
  assert.deepEqual(reader.update([9, 14, 187.45, null, null, 51300, 1767263415000, 12])?.data, {
    symbol: 'AAPL', epoch: 'e', seq: 14, price: 187.45, change: null, prevClose: null, volume: 51300, time: 1767263415000, prev: 12,
  });
});

test('an update on a handle never announced is not made up', () => {
  assert.equal(new CompactReader().update([1, 2, []]), null);
});
