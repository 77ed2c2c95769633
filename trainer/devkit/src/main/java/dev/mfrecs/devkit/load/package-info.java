/**
 * Loading documents into a cluster for the demo and the tests.
 */
package dev.mfrecs.devkit.load;
