/**
 * The HTML evaluation report and its charts.
 */
package dev.mfrecs.evaluation.report;
