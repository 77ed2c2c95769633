/**
 * Elasticsearch-free matrix factorization: implicit and explicit ALS, PureSVD, Funk SVD, fold-in and explanations,
 * SIMD kernels; the trainer and the plugin share it.
 */
package dev.mfrecs.factorization;
