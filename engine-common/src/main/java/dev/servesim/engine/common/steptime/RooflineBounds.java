package dev.servesim.engine.common.steptime;

import static java.util.Objects.requireNonNull;

import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;

/**
 * Upper bounds of what one replica can compute, from the hardware's peaks at efficiency 1 and without any fixed cost,
 * taken from the same {@link ForwardPass} terms the step time adds up, so that no step-time model built on them
 * ({@link StepTimeFormula}: every efficiency at most 1, every cost at least 0) can exceed them. A capacity planner
 * prunes with them without simulating.
 *
 * <ul>
 *   <li>prefill: a step of {@code T} tokens takes at least {@code T} times the linear layers' and routed experts'
 *       FLOPs per token at the peak of their dtype ({@link ForwardPass#linearComputeSecondsPerToken()}, about
 *       {@code 2 * active linear parameters / tp} over the peak), attention, LM head and everything else left out;
 *   <li>decode: a step produces at most one output token per request, at most {@code max_num_seqs}, and takes at
 *       least the weight bytes it reads over the peak bandwidth ({@link ForwardPass#weightBytesRead}: dense linear
 *       layers, LM head, and for a MoE model only the experts the batch touches) and at least its tokens' linear
 *       FLOPs over the peak, so output tokens/s are at most
 *       {@code min(max_num_seqs * bandwidth / bytes(max_num_seqs), 1 / linear seconds per token)}.
 * </ul>
 * Both are multiplied by {@code pipeline_parallel_size}, as if every stage worked at once on a batch of its own
 * (vLLM's pipelined micro-batches); the engine runs one batch through the stages at a time, so with {@code pp > 1}
 * the bounds are looser by that factor, and stay true if the engine ever overlaps the stages.
 *
 * @param prefillTokensPerSecond prompt tokens one replica can at most compute per second
 * @param decodeTokensPerSecond output tokens one replica can at most generate per second
 */
public record RooflineBounds(double prefillTokensPerSecond, double decodeTokensPerSecond) {

    /**
     * The bounds of {@code model} on {@code hardware}, weights in {@code dtype}, running at most {@code maxNumSeqs}
     * requests in a batch.
     */
    public static RooflineBounds of(ShardedModel model, HardwareSpec hardware, Dtype dtype, int maxNumSeqs) {
        requireNonNull(model, "model is null");
        ForwardPass pass = new ForwardPass(model, hardware, dtype);
        int stages = model.pp();
        double perToken = pass.linearComputeSecondsPerToken();
        double prefill = stages / perToken;
        int batch = maxNumSeqs;
        // requests / bytes(requests) grows with the batch (bytes(0) > 0 and bytes is concave), so the largest batch
        // bounds every step
        double memory = stages * batch * pass.memoryBytesPerSecond() / pass.weightBytesRead(batch);
        return new RooflineBounds(prefill, Math.min(memory, prefill));
    }
}
