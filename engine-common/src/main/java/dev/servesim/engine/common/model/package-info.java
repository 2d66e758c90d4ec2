/**
 * The shape of a model as the engines need it: {@link dev.servesim.engine.common.model.ModelSpec}, from the built-in
 * catalog (the resource {@code model-catalog.json} of this package) or a Hugging Face {@code config.json}, and the
 * dtypes of weights and KV cache. Sizes are counts of parameters, tokens or elements, as each name says. Values are
 * immutable and may be shared between runs.
 */
package dev.servesim.engine.common.model;
