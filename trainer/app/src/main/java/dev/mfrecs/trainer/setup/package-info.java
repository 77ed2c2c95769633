/** What {@code mfrecs setup} installs on a cluster and checks there (templates, data stream, the plugin on every node). */
package dev.mfrecs.trainer.setup;
