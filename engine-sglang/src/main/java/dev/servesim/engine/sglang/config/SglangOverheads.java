package dev.servesim.engine.sglang.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;

/**
 * The SGLang engine's own costs outside the forward pass (the {@code overheads} mapping of the {@code sglang}
 * framework), in seconds. The forward pass itself is engine-common's step time, the same physics and coefficients as
 * the vllm engine's: the GPU and its kernels do not change with the serving framework. What does change is the
 * process around them, and these four figures are that process. <b>They are estimates, not fits</b>: no SGLang
 * measurement exists here; {@code docs/engine-sglang.md} says where each comes from, and a calibration against SGLang
 * servers would replace them.
 *
 * @param schedulerOverheadSeconds CPU time of one scheduler iteration whatever the batch: receiving requests, planning
 *     the batch ({@code get_next_batch_to_run}), building its {@code ForwardBatch} and processing its result
 *     ({@code python/sglang/srt/managers/scheduler.py}); default 1 ms. Hidden behind the GPU by the overlap scheduler
 *     unless it is the longer of the two.
 * @param schedulerOverheadSecondsPerRequest the same per request of the batch (its row in the batch tensors, its
 *     finish check and output); default 15 µs
 * @param arrivalOverheadSeconds from a request's arrival to its entry into the scheduler's waiting queue: the HTTP
 *     server and {@code TokenizerManager} (parsing, tokenization) and the ZMQ hand-over to the scheduler process;
 *     default 5 ms, the vllm fit's figure for the same path (physics-coefficients-v4: 5.07 ms)
 * @param outputOverheadSeconds from the end of the step that produced a token to the client: scheduler to
 *     {@code DetokenizerManager} to {@code TokenizerManager} (two ZMQ hops, one more than vLLM V1's) and the stream;
 *     default 1.3 ms, the vllm fit's 1.05 ms plus one hop
 */
public record SglangOverheads(
        Double schedulerOverheadSeconds,
        Double schedulerOverheadSecondsPerRequest,
        Double arrivalOverheadSeconds,
        Double outputOverheadSeconds) {

    /** Every figure at its estimate. */
    public static final SglangOverheads ESTIMATES = new SglangOverheads(null, null, null, null);

    public SglangOverheads {
        schedulerOverheadSeconds = nonNegative("overheads.scheduler_overhead_seconds",
                orDefault(schedulerOverheadSeconds, 1e-3));
        schedulerOverheadSecondsPerRequest = nonNegative("overheads.scheduler_overhead_seconds_per_request",
                orDefault(schedulerOverheadSecondsPerRequest, 1.5e-5));
        arrivalOverheadSeconds = nonNegative("overheads.arrival_overhead_seconds",
                orDefault(arrivalOverheadSeconds, 5e-3));
        outputOverheadSeconds = nonNegative("overheads.output_overhead_seconds",
                orDefault(outputOverheadSeconds, 1.3e-3));
    }

    /** CPU seconds of one scheduler iteration over a batch of {@code requests}. */
    public double schedulerSeconds(int requests) {
        return schedulerOverheadSeconds + schedulerOverheadSecondsPerRequest * requests;
    }
}
