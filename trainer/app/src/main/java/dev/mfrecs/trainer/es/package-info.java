/**
 * Reading a cluster: the connection, the read plan of a training run, the interactions scan, raw JSON documents.
 */
package dev.mfrecs.trainer.es;
