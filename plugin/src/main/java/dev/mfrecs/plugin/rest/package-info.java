/**
 * Thin REST handlers: parse the body, hand it to the transport action, nothing else.
 */
package dev.mfrecs.plugin.rest;
