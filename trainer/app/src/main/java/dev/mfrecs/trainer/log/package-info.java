/**
 * Progress logging every trainer layer uses.
 */
package dev.mfrecs.trainer.log;
