/**
 * Replays of the bundled log that measure freshness and provisional item vectors.
 */
package dev.mfrecs.devkit.replay;
