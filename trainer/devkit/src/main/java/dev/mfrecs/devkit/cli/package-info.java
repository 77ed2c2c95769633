/**
 * The dev kit's command line, {@code mfrecs-dev}.
 */
package dev.mfrecs.devkit.cli;
