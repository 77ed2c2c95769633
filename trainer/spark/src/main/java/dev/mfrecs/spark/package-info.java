/**
 * The optional Spark training engine: sliced point-in-time reads and training on a cluster, published through the same
 * path.
 */
package dev.mfrecs.spark;
