/** The node's counters and latency histograms that {@code GET _mf/_stats} reports. */
package dev.mfrecs.plugin.stats;
