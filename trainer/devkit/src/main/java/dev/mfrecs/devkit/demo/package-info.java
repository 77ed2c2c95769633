/**
 * The demo: a real node, the bundled Online Retail data, training and recommendations.
 */
package dev.mfrecs.devkit.demo;
