/**
 * Publishing and managing model versions: the lease, writing a version, the alias swap, retention, item refresh,
 * verification.
 */
package dev.mfrecs.trainer.publish;
