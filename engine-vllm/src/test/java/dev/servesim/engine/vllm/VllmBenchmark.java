package dev.servesim.engine.vllm;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.Segment;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.core.Simulation;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.TestingPlugins;
import java.util.BitSet;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Speed benchmark of the vllm engine (a plain {@code main}, never run as a test): the 16,800-request shared-prefix
 * workload of the calibration set's heaviest run (inference-perf "general": 9 system prompts of 100 tokens x 5 users
 * with 447-token questions, 248 output tokens; constant-rate stages of 8 req/s x 600 s then 20 req/s x 600 s) on
 * Llama-3.1-8B, one H100, vLLM defaults, with vLLM's prefix cache (the real {@code block-hash} strategy, found by name
 * as a run finds it). Every engine step is simulated. Prints the wall time of each repetition, the cost per step and
 * per scheduled request, the cost per step in each minute of simulated time (it must not grow as finished requests
 * pile up) and the simulated latencies as a sanity check.
 *
 * <p>Arguments: {@code [repetitions] [extra 20 req/s stages]}, default {@code 5 0}. With extra stages it also prints
 * the heap in use after a full GC at the end of each stage (memory must stay flat) and times nothing reliably.
 *
 * <p>How to run it: docs/benchmarks.md.
 */
public final class VllmBenchmark {

    private static final int SYSTEM_PROMPTS = 9;
    private static final int USERS_PER_SYSTEM_PROMPT = 5;
    private static final int SYSTEM_PROMPT_TOKENS = 100;
    private static final int QUESTION_TOKENS = 447;
    private static final int OUTPUT_TOKENS = 248;
    private static final double STAGE_SECONDS = 600;
    private static final double WINDOW_SECONDS = 60;

    private VllmBenchmark() {}

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int extraStages = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        // optional: the step-time model and the engine loop, to compare against the defaults (physics, asynchronous)
        String stepTime = args.length > 2 ? args[2] : "physics";
        boolean async = args.length <= 3 || Boolean.parseBoolean(args[3]);
        double[] rates = new double[2 + extraStages];
        rates[0] = 8;
        for (int stage = 1; stage < rates.length; stage++) {
            rates[stage] = 20;
        }
        System.out.printf(Locale.ROOT, "vllm engine benchmark: Llama-3.1-8B, H100-SXM-80GB, TP 1, prefix cache;"
                + " stages %s req/s x %.0f s; step_time %s, async_scheduling %s; %d processors, Java %s%n",
                java.util.Arrays.toString(rates), STAGE_SECONDS, stepTime, async,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (int repetition = 1; repetition <= repetitions; repetition++) {
            Run run = new Run(rates, 42 + repetition, extraStages > 0, stepTime, async);
            long start = System.nanoTime();
            run.simulation.run(Double.MAX_VALUE);
            double wall = (System.nanoTime() - start) / 1e9;
            run.report(repetition, wall);
        }
    }

    /** One simulation of the workload, with counters fed by the engine. */
    private static final class Run implements EngineContext, RequestListener {

        private final Simulation simulation = new Simulation();
        private final RandomStreams random;
        private final RandomStreams cacheRandom;
        private final VllmEngine engine;
        private final double[] rates;
        private final boolean heapReport;
        private final Segment[][] prompts;
        private final int[] promptOrder;
        // arrivals of the current stage: cumulative rescaled gaps
        private double[] arrivals = new double[0];
        private int stage;
        private int nextInStage;
        private long nextId;
        private final Runnable arrive = this::arrive;

        private final BitSet started = new BitSet();
        private long completed;
        private long outputTokens;
        private double ttftSum;
        private double e2eSum;
        private long steps;
        private long requestSteps;
        private double simulatedEnd;
        private final long[] windowNanos;
        private final long[] windowSteps;
        private final long[] windowRequestSteps;
        private long lastNanos;

        Run(double[] rates, long seed, boolean heapReport, String stepTime, boolean async) {
            this.rates = rates;
            this.heapReport = heapReport;
            this.random = new SeededRandomStreams(seed).child("framework");
            this.cacheRandom = new SeededRandomStreams(seed).child("cache");
            SplittableRandom prompt = new SplittableRandom(seed);
            prompts = new Segment[SYSTEM_PROMPTS * USERS_PER_SYSTEM_PROMPT][];
            for (int p = 0; p < prompts.length; p++) {
                int system = p / USERS_PER_SYSTEM_PROMPT;
                prompts[p] = new Segment[] {new Segment(1_000 + system, SYSTEM_PROMPT_TOKENS),
                        new Segment(2_000 + p, QUESTION_TOKENS)};
            }
            // inference-perf shuffles its prompts once and request n uses prompt n mod count
            promptOrder = new int[prompts.length];
            for (int p = 0; p < promptOrder.length; p++) {
                promptOrder[p] = p;
            }
            for (int p = promptOrder.length - 1; p > 0; p--) {
                int other = prompt.nextInt(p + 1);
                int swap = promptOrder[p];
                promptOrder[p] = promptOrder[other];
                promptOrder[other] = swap;
            }
            int windows = (int) Math.ceil(rates.length * STAGE_SECONDS / WINDOW_SECONDS) + 10;
            windowNanos = new long[windows];
            windowSteps = new long[windows];
            windowRequestSteps = new long[windows];
            VllmConfig config = TestingVllmConfig.of("model", "llama-3.1-8b", "hardware", "H100", "step_time", stepTime,
                    "async_scheduling", async);
            engine = new VllmEngine(VllmSetup.of(config), this);
            startStage(0);
            if (heapReport) {
                for (int s = 1; s <= rates.length; s++) {
                    int done = s;
                    simulation.scheduleDaemon(s * STAGE_SECONDS, () -> printHeap(done));
                }
            }
            lastNanos = System.nanoTime();
        }

        /**
         * inference-perf's constant load: N = rate * D requests, N exponential gaps rescaled to sum to D, request k
         * sent at the stage start plus the first k gaps (the last one at the end of the stage).
         */
        private void startStage(int index) {
            stage = index;
            int count = (int) (rates[index] * STAGE_SECONDS);
            java.util.random.RandomGenerator gaps = random.stream("arrivals/" + index);
            arrivals = new double[count];
            double sum = 0;
            for (int k = 0; k < count; k++) {
                sum += -Math.log(1 - gaps.nextDouble()) / rates[index];
                arrivals[k] = sum;
            }
            double scale = STAGE_SECONDS / sum;
            double start = index * STAGE_SECONDS;
            for (int k = 0; k < count; k++) {
                arrivals[k] = start + arrivals[k] * scale;
            }
            nextInStage = 0;
            simulation.scheduleAt(arrivals[0], arrive);
        }

        private void arrive() {
            long id = nextId++;
            Segment[] segments = prompts[promptOrder[(int) (id % prompts.length)]];
            engine.submit(Request.single(id, simulation.now(), PromptContent.of(segments), OUTPUT_TOKENS));
            nextInStage++;
            if (nextInStage < arrivals.length) {
                simulation.scheduleAt(arrivals[nextInStage], arrive);
            } else if (stage + 1 < rates.length) {
                startStage(stage + 1);
            }
        }

        private void onStep(StepRecord step) {
            long now = System.nanoTime();
            int window = (int) (step.startTime() / WINDOW_SECONDS);
            windowNanos[window] += now - lastNanos;
            windowSteps[window]++;
            windowRequestSteps[window] += step.scheduledRequests();
            lastNanos = now;
            steps++;
            requestSteps += step.scheduledRequests();
            simulatedEnd = step.startTime() + step.duration();
        }

        private void printHeap(int stagesDone) {
            Runtime runtime = Runtime.getRuntime();
            System.gc();
            System.out.printf(Locale.ROOT, "  after stage %d (t = %.0f s): %d completed, %d running, %d waiting,"
                    + " heap in use after GC %.1f MiB%n", stagesDone, simulation.now(), completed,
                    engine.load().running(), engine.load().waiting(),
                    (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0);
        }

        void report(int repetition, double wall) {
            System.out.printf(Locale.ROOT, "rep %d: %.3f s wall for %.0f s simulated; %d requests completed;"
                    + " %d steps (%.0f ns each); %d request-steps (%.1f ns each); mean TTFT %.1f ms, mean E2E %.0f ms,"
                    + " mean ITL %.2f ms%n", repetition, wall, simulatedEnd, completed, steps, wall * 1e9 / steps,
                    requestSteps, wall * 1e9 / requestSteps, ttftSum / completed * 1e3, e2eSum / completed * 1e3,
                    (e2eSum - ttftSum) / completed / (OUTPUT_TOKENS - 1) * 1e3);
            // cost per step in the first and the last tenth of the simulated time (both inside a constant-rate
            // stage when there are two stages) and per stage: it must not grow with the requests already finished
            int windowsPerTenth = (int) Math.round(rates.length * STAGE_SECONDS / WINDOW_SECONDS / 10);
            int lastWindow = (int) (rates.length * STAGE_SECONDS / WINDOW_SECONDS);
            printSpan("first 10% of simulated time", 0, windowsPerTenth);
            printSpan("last 10% of simulated time", lastWindow - windowsPerTenth, lastWindow);
            int windowsPerStage = (int) (STAGE_SECONDS / WINDOW_SECONDS);
            for (int s = 0; s < rates.length; s++) {
                printSpan(String.format(Locale.ROOT, "stage %d (%.0f req/s)", s + 1, rates[s]),
                        s * windowsPerStage, (s + 1) * windowsPerStage);
            }
        }

        private void printSpan(String label, int fromWindow, int toWindow) {
            long nanos = 0;
            long stepCount = 0;
            long requestStepCount = 0;
            for (int window = fromWindow; window < toWindow; window++) {
                nanos += windowNanos[window];
                stepCount += windowSteps[window];
                requestStepCount += windowRequestSteps[window];
            }
            System.out.printf(Locale.ROOT, "  %-28s %7d steps, %5.1f requests/step, %6.0f ns/step, %5.1f ns/request-step%n",
                    label, stepCount, (double) requestStepCount / stepCount, (double) nanos / stepCount,
                    (double) nanos / requestStepCount);
        }

        // EngineContext

        @Override
        public int replica() {
            return 0;
        }

        @Override
        public EventScheduler scheduler() {
            return simulation;
        }

        @Override
        public RandomStreams random() {
            return random;
        }

        @Override
        public RequestListener requests() {
            return this;
        }

        @Override
        public Consumer<StepRecord> steps() {
            return this::onStep;
        }

        @Override
        public KvCacheStrategy createKvCache(int blocks, int blockSizeTokens) {
            return TestingPlugins.createWithDefaults(TestingPlugins.cacheStrategy("block-hash"),
                    new CacheContext(blocks, blockSizeTokens, 0, simulation, cacheRandom));
        }

        // RequestListener: counters only

        @Override
        public void onQueued(Request request, double time) {}

        @Override
        public void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {}

        @Override
        public void onPrefillChunk(Request request, double time, int tokens) {}

        @Override
        public void onTokens(Request request, double time, int count) {
            int id = (int) request.id();
            if (!started.get(id)) {
                started.set(id);
                ttftSum += time - request.arrivalTime();
            }
            outputTokens += count;
        }

        @Override
        public void onPreempted(Request request, double time) {}

        @Override
        public void onFinished(Request request, double time) {
            completed++;
            e2eSum += time - request.arrivalTime();
            started.clear((int) request.id());
        }

        @Override
        public void onRejected(Request request, double time, String reason) {
            throw new IllegalStateException("request " + request.id() + " rejected: " + reason);
        }
    }
}
