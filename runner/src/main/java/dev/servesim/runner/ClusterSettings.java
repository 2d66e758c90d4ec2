package dev.servesim.runner;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cluster} section without its {@code router}: how many engine replicas share the simulated clock, how
 * often they report their load to the router, and whether they serve whole requests or form separate prefill and
 * decode pools.
 *
 * @param replicas engine replicas, each with its own KV cache (default 1; when disaggregated the default and the only
 *     accepted value is {@code prefill.replicas + decode.replicas})
 * @param reportInterval seconds of simulated time between load reports to the router (default 1); the router sees
 *     load figures up to this old
 * @param mode {@code colocated} (default: identical replicas of the {@code framework} section) or
 *     {@code disaggregated}
 * @param prefill the prefill pool of a disaggregated cluster (ignored when colocated)
 * @param decode the decode pool of a disaggregated cluster (ignored when colocated)
 * @param transfer the link that carries each request's KV cache from its prefill to its decode replica
 * @param groups replica groups of a co-located cluster, each with its own engine overrides, in replica order (default
 *     none: every replica is the {@code framework} section); {@code replicas} then defaults to, and must equal, the
 *     sum of the groups' replicas
 * @param network the links between the client, the router and the replicas
 */
public record ClusterSettings(Integer replicas, Double reportInterval, String mode, PoolSettings prefill,
        PoolSettings decode, TransferSettings transfer, List<PoolSettings> groups, NetworkSettings network) {

    /** {@link #mode()} of a cluster whose replicas serve whole requests. */
    public static final String COLOCATED = "colocated";
    /** {@link #mode()} of a cluster with a prefill pool and a decode pool. */
    public static final String DISAGGREGATED = "disaggregated";
    /** Shortest {@code report_interval}, seconds. */
    public static final double MIN_REPORT_INTERVAL = 1e-3;
    /** One replica, reports every second. */
    public static final ClusterSettings SINGLE = new ClusterSettings(null, null);

    public ClusterSettings {
        mode = orDefault(mode, COLOCATED);
        if (!mode.equals(COLOCATED) && !mode.equals(DISAGGREGATED)) {
            throw ServesimException.config("mode", "must be colocated or disaggregated, got '" + mode + "'");
        }
        prefill = orDefault(prefill, new PoolSettings(null, null));
        decode = orDefault(decode, new PoolSettings(null, null));
        transfer = orDefault(transfer, new TransferSettings(null, null));
        groups = List.copyOf(orDefault(groups, List.of()));
        network = orDefault(network, new NetworkSettings(null, null));
        if (!groups.isEmpty()) {
            if (mode.equals(DISAGGREGATED)) {
                throw ServesimException.config("groups", "only a co-located cluster has groups; a disaggregated one "
                        + "sets its pools with prefill and decode");
            }
            int sum = 0;
            for (PoolSettings group : groups) {
                sum += group.replicas();
            }
            if (replicas != null && replicas != sum) {
                throw ServesimException.config("replicas", "the groups have " + sum + " replicas in all, got "
                        + replicas + " (leave it out)");
            }
            replicas = sum;
        }
        if (mode.equals(DISAGGREGATED)) {
            int pools = prefill.replicas() + decode.replicas();
            if (replicas != null && replicas != pools) {
                throw ServesimException.config("replicas", "a disaggregated cluster has prefill.replicas + "
                        + "decode.replicas = " + pools + " replicas, got " + replicas + " (leave it out)");
            }
            replicas = pools;
        }
        replicas = positive("replicas", orDefault(replicas, 1));
        if (replicas > 100_000) {
            throw ServesimException.config("replicas", "must be at most 100000, got " + replicas);
        }
        reportInterval = ConfigValues.duration("report_interval", orDefault(reportInterval, 1.0));
        if (reportInterval < MIN_REPORT_INTERVAL) {
            throw ServesimException.config("report_interval", "must be at least " + MIN_REPORT_INTERVAL
                    + " s (shorter than an engine step, it only adds events), got " + reportInterval);
        }
    }

    /** A co-located cluster. */
    public ClusterSettings(Integer replicas, Double reportInterval) {
        this(replicas, reportInterval, null, null, null, null, null, null);
    }

    /** A cluster without groups or network delays (callers that predate them). */
    public ClusterSettings(Integer replicas, Double reportInterval, String mode, PoolSettings prefill,
            PoolSettings decode, TransferSettings transfer) {
        this(replicas, reportInterval, mode, prefill, decode, transfer, null, null);
    }

    public boolean disaggregated() {
        return mode.equals(DISAGGREGATED);
    }

    /**
     * One pool of a disaggregated cluster, or one group of a co-located cluster.
     *
     * @param replicas replicas in the pool (default 1)
     * @param framework keys that replace those of the top-level {@code framework} section for this pool's replicas,
     *     e.g. {@code hardware} or {@code tensor_parallel_size}; nested mappings are merged key by key (default none)
     */
    public record PoolSettings(Integer replicas, Map<String, Object> framework) {

        public PoolSettings {
            replicas = positive("replicas", orDefault(replicas, 1));
            framework = Collections.unmodifiableMap(new LinkedHashMap<>(orDefault(framework, Map.of())));
        }
    }

    /**
     * The KV transfer link between the pools: a request's KV cache ({@code prompt tokens x kv_bytes_per_token} of the
     * prefill replica's engine) arrives {@code latency + bytes / bytes_per_second} after its prefill.
     *
     * @param bytesPerSecond bandwidth of one transfer (default 50e9: one 400 Gb/s RDMA NIC, as NIXL between nodes);
     *     transfers do not share it
     * @param latency seconds added to every transfer (default 0.0005)
     */
    public record TransferSettings(Double bytesPerSecond, Double latency) {

        public TransferSettings {
            bytesPerSecond = positive("bytes_per_second", orDefault(bytesPerSecond, 50e9));
            latency = ConfigValues.nonNegative("latency", orDefault(latency, 0.0005));
        }
    }

    /**
     * The network between the client, the router and the replicas: a request reaches its replica
     * {@code latency + prompt_tokens x 4 / bytes_per_second} after it left the client (token ids as 4-byte integers,
     * as vLLM's API server receives them), and each output token reaches the client {@code latency} after the replica
     * produced it.
     *
     * @param latency one-way seconds from the client to a replica, and back (default 0)
     * @param bytesPerSecond bandwidth of the client-to-replica link, or null (default) for no transmission time
     */
    public record NetworkSettings(Double latency, Double bytesPerSecond) {

        /** Bytes a prompt token takes on the wire: a token id as a 32-bit integer. */
        public static final int BYTES_PER_TOKEN = 4;

        public NetworkSettings {
            latency = ConfigValues.nonNegative("latency", orDefault(latency, 0.0));
            if (bytesPerSecond != null) {
                positive("bytes_per_second", bytesPerSecond);
            }
        }

        /** Seconds from the client to the replica for a prompt of {@code promptTokens}. */
        public double inbound(int promptTokens) {
            return bytesPerSecond == null ? latency : latency + (double) promptTokens * BYTES_PER_TOKEN / bytesPerSecond;
        }

        /** True if requests and tokens cross the network without delay. */
        public boolean instant() {
            return latency == 0 && bytesPerSecond == null;
        }
    }
}
