/**
 * Turning a request's user (a stored id, an inline history, the interactions index) into a query vector: reading,
 * freshness, and the fold-in math.
 */
package dev.mfrecs.plugin.user;
