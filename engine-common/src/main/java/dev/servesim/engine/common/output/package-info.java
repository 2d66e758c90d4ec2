/**
 * The API server's path from an engine step to the client, as engines model it: output events delayed by the output
 * overhead ({@link dev.servesim.engine.common.output.DelayedOutputListener}).
 */
package dev.servesim.engine.common.output;
