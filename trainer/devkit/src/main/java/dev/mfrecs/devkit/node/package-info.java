/**
 * Real Elasticsearch nodes for the demo, the benchmarks and the integration tests.
 */
package dev.mfrecs.devkit.node;
