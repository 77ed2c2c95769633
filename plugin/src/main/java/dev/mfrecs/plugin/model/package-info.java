/**
 * Finding a model's live version and metadata (a validated cache) and reading item vectors, asynchronously and as the
 * caller.
 */
package dev.mfrecs.plugin.model;
