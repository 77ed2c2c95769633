/**
 * Interaction data in memory: id dictionaries, the aggregating matrix builder, and the file reader of {@code train
 * --input}.
 */
package dev.mfrecs.trainer.data;
