/**
 * The time one engine step's forward pass takes: the work of a batch on one tensor-parallel slice
 * ({@link dev.servesim.engine.common.steptime.ForwardPass} of a
 * {@link dev.servesim.engine.common.steptime.ShardedModel}), turned into seconds by
 * {@link dev.servesim.engine.common.steptime.StepTimeFormula} with the coefficients of
 * {@link dev.servesim.engine.common.steptime.StepTimeTerm} (the roofline's physical defaults, or the fitted
 * {@link dev.servesim.engine.common.steptime.PhysicsCoefficients}), and the roofline's throughput bounds. All times
 * are seconds. A {@code ForwardPass} and the formula built on it are mutable and belong to one engine replica, called
 * on the simulation thread; the coefficients and bounds are immutable.
 */
package dev.servesim.engine.common.steptime;
