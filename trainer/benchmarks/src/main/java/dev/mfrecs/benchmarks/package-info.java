/**
 * JMH benchmarks and timers of the factorization kernels, and the data they run on.
 */
package dev.mfrecs.benchmarks;
