/**
 * Model management from the plugin, with the trainer's rules: the model's lock on the node client ({@code ModelLease}) and the
 * versions, pin, rollback and deletions ({@code ModelAdmin}) behind {@code GET _mf/model}, {@code _rollback}, {@code _unpin}
 * and the deletes.
 */
package dev.mfrecs.plugin.manage;
