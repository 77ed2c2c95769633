/**
 * Transport actions of the plugin's REST APIs, with their requests and responses: each validates in {@code validate()}
 * and does the work as the caller, asynchronously (the model-management actions as blocking code on the management pool).
 */
package dev.mfrecs.plugin.action;
