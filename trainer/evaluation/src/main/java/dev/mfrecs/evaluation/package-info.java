/**
 * Offline evaluation, {@code mfrecs-eval}: protocols, recommenders, metrics and tuning on files.
 */
package dev.mfrecs.evaluation;
