/**
 * The trainer program {@code mfrecs}: training from Elasticsearch or files, publishing versions and managing them.
 */
package dev.mfrecs.trainer;
