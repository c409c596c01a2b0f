// @ts-check
// What both renderers agree on: which indicators go over the candles, the colours of a rising and a falling bar,
// and the names of indicator series.

/** @typedef {import('./livechart.js').Indicator} Indicator */

/** Indicators drawn over the candles on the price axis; any other indicator gets a pane of its own. */
export const OVERLAY = /^(MA|SMA|EMA|WMA|BOLL|BBANDS|VWAP)\b/i;
export const UP = '#26a69a';
export const DOWN = '#ef5350';
/** Line colours of indicator series, in order. */
export const PALETTE = ['#2962ff', '#ff6d00', '#8e24aa', '#00897b', '#c2185b', '#6d4c41', '#546e7a', '#f9a825'];

/** The name a renderer gives one output of an indicator: the indicator's own name when it has a single output. @param {Indicator} indicator @param {string} output */
export function seriesName(indicator, output) {
  return indicator.outputs.length > 1 ? `${indicator.name.replace(/\(.*/, '')} ${output}` : indicator.name;
}

/** Outputs drawn as bars around zero rather than lines (MACD's histogram). @param {string} output */
export function isHistogram(output) {
  return /hist/i.test(output);
}
