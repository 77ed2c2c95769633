/**
 * Transport actions of the plugin's REST APIs, with their requests and responses: each validates in {@code validate()}
 * and does the work asynchronously as the caller.
 */
package dev.mfrecs.plugin.action;
