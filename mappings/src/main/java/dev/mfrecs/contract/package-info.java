/**
 * The model contract: the one typed definition of everything a trainer publishes and the plugin reads (index names and
 * templates, the versioned model metadata, the interactions recipe, the lock, state, run-record and attribute-model
 * documents), with strict readers that name what is missing.
 */
package dev.mfrecs.contract;
