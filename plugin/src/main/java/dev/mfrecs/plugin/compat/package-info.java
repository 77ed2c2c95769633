/**
 * The few Elasticsearch APIs that differ between the 9.x releases the plugin is built for, behind one signature.
 */
package dev.mfrecs.plugin.compat;
