/**
 * The Elasticsearch plugin's registry ({@link dev.mfrecs.plugin.MfRecommendationsPlugin}), its settings and its node-
 * scoped components ({@link dev.mfrecs.plugin.MfServices}).
 */
package dev.mfrecs.plugin;
