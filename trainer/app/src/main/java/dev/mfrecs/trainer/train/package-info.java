/**
 * A training run: engines, trainers per algorithm, the publish gate, run records and the schedule.
 */
package dev.mfrecs.trainer.train;
