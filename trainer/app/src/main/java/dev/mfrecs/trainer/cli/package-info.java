/**
 * The {@code mfrecs} command line: one class per command, the shared exit codes and connection options.
 */
package dev.mfrecs.trainer.cli;
