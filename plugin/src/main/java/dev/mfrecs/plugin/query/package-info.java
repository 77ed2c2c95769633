/**
 * The query DSL the plugin adds ({@code mf_recommend}, {@code mf_similar}, the {@code mf_user} query-vector builder)
 * and the shard-level queries they rewrite to.
 */
package dev.mfrecs.plugin.query;
