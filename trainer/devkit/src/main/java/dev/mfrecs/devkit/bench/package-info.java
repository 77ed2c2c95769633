/**
 * Serving benchmarks and load drivers against a real node.
 */
package dev.mfrecs.devkit.bench;
