/**
 * Items between trainings: the vector an item the model was not trained on gets from the stored users who interacted
 * with it.
 */
package dev.mfrecs.plugin.item;
